using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AkkaGame.Bots.Bench;

/// <summary>
/// Runs one scenario, bounded in time: connect phase (open-loop at --ramp, at most
/// --connect-timeout), setup (at most --setup-timeout), warm-up (excluded), the measured window
/// (--duration), a one-second drain, optionally half the clients leaving while the rest play on
/// (--leave-half: how long the sector takes back to full speed), then Leave. Prints a live line per second and writes JSON.
/// </summary>
internal static class BenchRunner
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        IReadOnlyList<Identity> identities;
        try
        {
            identities = Identities.Build(options);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or FormatException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        var budget = options.ConnectTimeout + options.SetupTimeout + options.Warmup + options.Duration + options.LeaveHalf + TimeSpan.FromSeconds(15);

        // The last resort that makes every run stop by itself, whatever hangs.
        using var watchdog = new Timer(
            _ =>
            {
                Console.Error.WriteLine($"watchdog: run exceeded {budget.TotalSeconds:0}s + 30s; exiting");
                Environment.Exit(3);
            },
            null,
            budget + TimeSpan.FromSeconds(30),
            Timeout.InfiniteTimeSpan);

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"scenario={options.ScenarioName} clients={options.Clients} sectors={options.Sectors} rate={options.Rate}/s per client ramp={options.Ramp}/s " +
            $"warmup={options.Warmup.TotalSeconds}s duration={options.Duration.TotalSeconds}s endpoints={string.Join(',', options.Endpoints)} " +
            $"login={(options.AuthSecret is not null ? "minted tokens" : options.TokenFile is not null ? "token file" : "guests")} server-pids={string.Join(',', options.ServerPids)}"));

        using var stop = new CancellationTokenSource(budget);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var stats = new BenchStats();
        var clients = Enumerable.Range(0, options.Clients).Select(i => new BenchClient(i, options, identities[i], stats)).ToArray();
        var serverBefore = ProcStats.Read(options.ServerPids);
        var clock = Stopwatch.StartNew();
        var origin = Stopwatch.GetTimestamp();
        var phase = "connect";
        using var reporting = new CancellationTokenSource();
        var reporter = ReportAsync(stats, clients, options, clock, () => phase, reporting.Token);

        // Open loop: client i connects at origin + i / ramp whether or not earlier ones are done.
        var runs = clients
            .Select((c, i) => c.RunAsync(origin + (long)(i / options.Ramp * Stopwatch.Frequency), stop.Token))
            .ToArray();
        var connectDeadline = origin + (long)((options.ConnectTimeout + options.SetupTimeout).TotalSeconds * Stopwatch.Frequency);
        while (!stop.IsCancellationRequested && Stopwatch.GetTimestamp() < connectDeadline && !clients.All(c => c.Settled))
        {
            await Task.Delay(50);
        }

        var connectSeconds = clock.Elapsed.TotalSeconds;
        var ready = clients.Count(c => c.Ready);
        phase = "warmup";
        var windowStart = Stopwatch.GetTimestamp() + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var windowEnd = windowStart + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        stats.SetWindow(windowStart, windowEnd);
        await Delay(options.Warmup, stop.Token);
        phase = "measure";
        var serverStart = ProcStats.Read(options.ServerPids);
        var clientStart = ProcStats.Self();
        var gcStart = GcCounts();
        await Delay(options.Duration, stop.Token);
        var serverEnd = ProcStats.Read(options.ServerPids);
        var clientEnd = ProcStats.Self();
        var gcEnd = GcCounts();
        var sectors = await ServerMetrics.ScrapeAsync(options.MetricsUrls, stop.Token);
        var measured = options.Duration.TotalSeconds;
        phase = "drain";
        await Delay(TimeSpan.FromSeconds(1), stop.Token);
        var connectedAtEnd = clients.Count(c => c.IsConnected);
        var now = Stopwatch.GetTimestamp();
        foreach (var client in clients)
        {
            client.CountLost(now);
        }

        JsonObject? leftHalf = null;
        if (options.LeaveHalf > TimeSpan.Zero)
        {
            phase = "leave-half";
            leftHalf = await LeaveHalfAsync(stats, clients, options.LeaveHalf, stop.Token);
        }

        await stop.CancelAsync();
        await Task.WhenAll(runs);
        await reporting.CancelAsync();
        await reporter;
        await Task.WhenAll(clients.Select(c => c.LeaveAsync(TimeSpan.FromSeconds(2))));
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));

        var result = Result(options, Environment.GetCommandLineArgs().Skip(1).ToList(), stats, serverBefore, serverStart, serverEnd, clientStart, clientEnd, gcStart, gcEnd, measured, connectSeconds, ready, connectedAtEnd);
        result["received"] = stats.ReceivedJson(measured);
        result["leave_half"] = leftHalf;
        result["server_sectors"] = sectors;
        var json = result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Console.WriteLine(Summary(result));
        if (options.JsonFile is not null)
        {
            await File.WriteAllTextAsync(options.JsonFile, json + "\n");
            Console.WriteLine($"results written to {options.JsonFile}");
        }

        return stats.Connected > 0 ? 0 : 1;
    }

    private static async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("run budget exhausted or interrupted: ending early");
        }
    }

    /// <summary>
    /// Every other client leaves (the rest keep playing); waits up to <paramref name="patience"/>
    /// until no delta has carried a time dilation below 1 for two seconds, and says how long after
    /// the leave the last dilated delta came.
    /// </summary>
    private static async Task<JsonObject> LeaveHalfAsync(BenchStats stats, BenchClient[] clients, TimeSpan patience, CancellationToken ct)
    {
        var quiet = TimeSpan.FromSeconds(2);
        var dilationAtLeave = stats.LastDilation;
        var disconnectsBefore = stats.Disconnects;
        var leaveAt = Stopwatch.GetTimestamp();
        var leaving = clients.Where((_, i) => i % 2 == 1).ToArray();
        var staying = clients.Where((_, i) => i % 2 == 0).ToArray();
        var leaves = Task.WhenAll(leaving.Select(c => c.LeaveAsync(TimeSpan.FromSeconds(2))));
        var recovered = false;
        while (!ct.IsCancellationRequested && Stopwatch.GetElapsedTime(leaveAt) < patience)
        {
            await Delay(TimeSpan.FromMilliseconds(100), ct);
            var lastDilated = Math.Max(stats.LastDilatedAt, leaveAt);
            if (Stopwatch.GetElapsedTime(lastDilated) >= quiet && stats.LastDilation >= 1)
            {
                recovered = true;
                break;
            }
        }

        await leaves;
        var last = stats.LastDilatedAt;
        return new JsonObject
        {
            ["left"] = leaving.Length,
            ["time_dilation_at_leave"] = dilationAtLeave,
            ["back_at_full_speed"] = recovered,
            ["full_speed_after_s"] = !recovered ? null : last > leaveAt ? Math.Round(Stopwatch.GetElapsedTime(leaveAt, last).TotalSeconds, 2) : 0.0,
            ["staying_connected"] = staying.Count(c => c.IsConnected),
            ["staying"] = staying.Length,
            ["disconnects"] = stats.Disconnects - disconnectsBefore,
        };
    }

    private static int[] GcCounts() => [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];

    private static JsonObject Result(
        BenchOptions options,
        IReadOnlyList<string> args,
        BenchStats stats,
        ProcSample serverBefore,
        ProcSample serverStart,
        ProcSample serverEnd,
        ProcSample clientStart,
        ProcSample clientEnd,
        int[] gcStart,
        int[] gcEnd,
        double measured,
        double connectSeconds,
        int ready,
        int connectedAtEnd)
    {
        var connected = Math.Max(1, connectedAtEnd);
        var latency = new JsonObject();
        foreach (var m in Enum.GetValues<Measure>())
        {
            latency[m.ToString().ToLowerInvariant()] = stats.LatencyJson(m);
        }

        // Not a server latency: how late the load generator itself sent (included in all of the above).
        latency["generator_send_delay"] = stats.SendDelayJson();

        var throughput = new JsonObject
        {
            ["inputs_applied_per_s"] = Math.Round(stats.Count(Measure.Input) / measured, 1),
            ["mines_stored_per_s"] = Math.Round(stats.Count(Measure.Mine) / measured, 1),
            ["jumps_per_s"] = Math.Round(stats.Count(Measure.Jump) / measured, 1),
            ["pongs_per_s"] = Math.Round(stats.Count(Measure.Ping) / measured, 1),
        };
        return new JsonObject
        {
            ["label"] = options.Label,
            ["scenario"] = options.ScenarioName,
            ["command"] = Environment.CommandLine,
            ["args"] = new JsonArray(args.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["git_commit"] = ProcStats.GitCommit(),
            ["started_utc"] = DateTime.UtcNow.AddSeconds(-measured).ToString("o", CultureInfo.InvariantCulture),
            ["machine"] = ProcStats.Machine(),
            ["parameters"] = new JsonObject
            {
                ["clients"] = options.Clients,
                ["sectors"] = options.Sectors,
                ["rate_per_client_per_s"] = options.Rate,
                ["offered_actions_per_s"] = options.Scenario is Scenario.Idle or Scenario.Storm ? 0 : Math.Round(options.Clients * options.Rate, 1),
                ["ramp_per_s"] = options.Ramp,
                ["warmup_s"] = options.Warmup.TotalSeconds,
                ["duration_s"] = options.Duration.TotalSeconds,
                ["ping_interval_s"] = options.Scenario is Scenario.Idle ? 1.0 / options.Rate : options.PingInterval.TotalSeconds,
                ["endpoints"] = string.Join(',', options.Endpoints),
                ["login"] = options.AuthSecret is not null ? "minted-tokens" : options.TokenFile is not null ? "token-file" : "guests",
                ["seed"] = options.Seed,
            },
            ["connect"] = new JsonObject
            {
                ["connected_once"] = stats.Connected,
                ["ready"] = ready,
                ["connected_at_end"] = connectedAtEnd,
                ["connect_phase_s"] = Math.Round(connectSeconds, 2),
            },
            ["latency"] = latency,
            ["throughput"] = throughput,
            ["counters"] = stats.CountersJson(),
            ["server"] = new JsonObject
            {
                ["pids"] = string.Join(',', options.ServerPids),
                ["alive_at_end"] = serverEnd.Alive,
                ["rss_before_connect_mb"] = Mb(serverBefore.RssKb),
                ["rss_at_measure_start_mb"] = Mb(serverStart.RssKb),
                ["rss_at_end_mb"] = Mb(serverEnd.RssKb),
                ["peak_rss_mb"] = Mb(serverEnd.HwmKb),
                ["rss_per_connection_kb"] = options.ServerPids.Count == 0 ? null : Math.Round((serverEnd.RssKb - serverBefore.RssKb) / (double)connected, 1),
                ["cpu_cores_used"] = Math.Round((serverEnd.CpuSeconds - serverStart.CpuSeconds) / measured, 3),
                ["cpu_seconds_total"] = Math.Round(serverEnd.CpuSeconds, 2),
                ["threads_at_end"] = serverEnd.Threads,
                ["voluntary_ctx_switches_per_s"] = Math.Round((serverEnd.VoluntarySwitches - serverStart.VoluntarySwitches) / measured),
                ["involuntary_ctx_switches_per_s"] = Math.Round((serverEnd.InvoluntarySwitches - serverStart.InvoluntarySwitches) / measured),
            },
            ["client"] = new JsonObject
            {
                ["cpu_cores_used"] = Math.Round((clientEnd.CpuSeconds - clientStart.CpuSeconds) / measured, 3),
                ["rss_mb"] = Mb(clientEnd.RssKb),
                ["threads"] = clientEnd.Threads,
                ["gc_gen0_gen1_gen2"] = new JsonArray(gcEnd[0] - gcStart[0], gcEnd[1] - gcStart[1], gcEnd[2] - gcStart[2]),
            },
        };
    }

    private static double Mb(long kb) => Math.Round(kb / 1024.0, 1);

    private static string Summary(JsonObject r)
    {
        string L(string m, string p) => r["latency"]![m]![p]?.ToString() ?? "-";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""
            --- {r["scenario"]} summary ---
            connected once={r["connect"]!["connected_once"]} ready={r["connect"]!["ready"]} at end={r["connect"]!["connected_at_end"]} connect phase={r["connect"]!["connect_phase_s"]}s
            input-to-state ms: n={L("input", "count")} p50={L("input", "p50_ms")} p99={L("input", "p99_ms")} max={L("input", "max_ms")} lost={L("input", "lost")}
            ping rtt ms:       n={L("ping", "count")} p50={L("ping", "p50_ms")} p99={L("ping", "p99_ms")} max={L("ping", "max_ms")} lost={L("ping", "lost")}
            connect->Welcome:  n={L("connect", "count")} p50={L("connect", "p50_ms")} p99={L("connect", "p99_ms")} max={L("connect", "max_ms")}
            mine->Credits:     n={L("mine", "count")} p50={L("mine", "p50_ms")} p99={L("mine", "p99_ms")} lost={L("mine", "lost")}
            jump->Jumped:      n={L("jump", "count")} p50={L("jump", "p50_ms")} p99={L("jump", "p99_ms")} lost={L("jump", "lost")}
            errors={r["counters"]!["errors"]} {r["counters"]!["errors_by_code"]!.ToJsonString()} disconnects={r["counters"]!["disconnects"]} connect failures={r["counters"]!["connect_failures"]!.ToJsonString()} late sends={r["counters"]!["late_sends_over_10ms"]}
            generator send delay ms: p50={L("generator_send_delay", "p50_ms")} p99={L("generator_send_delay", "p99_ms")} max={L("generator_send_delay", "max_ms")}
            server: cpu={r["server"]!["cpu_cores_used"]} cores rss={r["server"]!["rss_at_end_mb"]}MB per connection={r["server"]!["rss_per_connection_kb"]}KB threads={r["server"]!["threads_at_end"]}
            client: cpu={r["client"]!["cpu_cores_used"]} cores rss={r["client"]!["rss_mb"]}MB
            received: {r["received"]?.ToJsonString()} sectors: {r["server_sectors"]?.ToJsonString() ?? "-"} leave-half: {r["leave_half"]?.ToJsonString() ?? "-"}
            """);
    }

    private static async Task ReportAsync(BenchStats stats, BenchClient[] clients, BenchOptions options, Stopwatch clock, Func<string> phase, CancellationToken ct)
    {
        long lastIn = 0;
        long lastOut = 0;
        var lastServer = ProcStats.Read(options.ServerPids);
        var lastClient = ProcStats.Self();
        var last = clock.Elapsed;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var now = clock.Elapsed;
                var seconds = Math.Max((now - last).TotalSeconds, 0.001);
                var server = ProcStats.Read(options.ServerPids);
                var self = ProcStats.Self();
                var main = options.Scenario switch
                {
                    Scenario.Economy => "mine " + stats.IntervalText(Measure.Mine),
                    Scenario.Churn => "jump " + stats.IntervalText(Measure.Jump),
                    Scenario.Storm => "connect " + stats.IntervalText(Measure.Connect),
                    Scenario.Idle => "connect " + stats.IntervalText(Measure.Connect),
                    _ => "input " + stats.IntervalText(Measure.Input),
                };
                var ping = stats.IntervalText(Measure.Ping);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"t={now.TotalSeconds:0}s {phase()} connected={clients.Count(c => c.IsConnected)}/{clients.Length} " +
                    $"out={(stats.Out - lastOut) / seconds:0}/s in={(stats.In - lastIn) / seconds:0}/s p50/p99 {main} ping {ping} " +
                    $"errors={stats.Errors} disconnects={stats.Disconnects} server-cpu={(server.CpuSeconds - lastServer.CpuSeconds) / seconds * 100:0}% " +
                    $"server-rss={server.RssKb / 1024}MB client-cpu={(self.CpuSeconds - lastClient.CpuSeconds) / seconds * 100:0}%"));
                (lastIn, lastOut, lastServer, lastClient, last) = (stats.In, stats.Out, server, self, now);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.WriteLine("stopping: leaving the game");
        }
    }
}
