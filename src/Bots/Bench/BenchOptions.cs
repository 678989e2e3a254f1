using System.CommandLine;
using System.Globalization;
using AkkaGame.CommandLine;

namespace AkkaGame.Bots.Bench;

/// <summary>The scenarios of the benchmark mode (issue 5); see bench/README.md.</summary>
internal enum Scenario
{
    Idle,
    Movers,
    HotSector,
    Economy,
    Storm,
    Churn,
}

/// <summary>The command line of the benchmark mode (<c>--scenario NAME</c>), with per-scenario defaults.</summary>
internal sealed record BenchOptions(
    Scenario Scenario,
    string ScenarioName,
    IReadOnlyList<string> Endpoints,
    int Clients,
    int Sectors,
    double Rate,
    double Ramp,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan PingInterval,
    TimeSpan ConnectTimeout,
    TimeSpan SetupTimeout,
    int Seed,
    string? AuthSecret,
    string? TokenFile,
    IReadOnlyList<int> ServerPids,
    string? JsonFile,
    string? Label,
    int WorldX,
    int WorldY,
    TimeSpan LeaveHalf,
    IReadOnlyList<string> MetricsUrls,
    bool PredictMotion = false)
{
    /// <summary>Each scenario by the name --scenario takes.</summary>
    private static readonly Dictionary<string, Scenario> Scenarios = new(StringComparer.Ordinal)
    {
        ["idle"] = Scenario.Idle,
        ["movers"] = Scenario.Movers,
        ["hot-sector"] = Scenario.HotSector,
        ["economy"] = Scenario.Economy,
        ["storm"] = Scenario.Storm,
        ["churn"] = Scenario.Churn,
    };

    /// <summary>True when the arguments ask for the benchmark mode.</summary>
    public static bool IsBenchmark(IReadOnlyList<string> args) => args.Contains("--scenario");

    /// <summary>The benchmark mode's command; <paramref name="run"/> gets the checked options.</summary>
    public static RootCommand Command(Func<BenchOptions, Task<int>> run)
    {
        var options = new Options(Environment.GetEnvironmentVariable);
        var scenario = options.Text("scenario", string.Join('|', Scenarios.Keys));
        scenario.Required = true;
        scenario.AcceptOnlyFromAmong([.. Scenarios.Keys]);
        var endpoints = options.List("endpoints", "host:port[,...] of the server", ["127.0.0.1:7777"], atLeastOne: true);
        var clients = options.OptionalInt("clients", "clients (default per scenario)", min: 1);
        var bots = options.OptionalInt("bots", "the same as --clients", min: 1);
        var sectors = options.OptionalInt("sectors", "sectors the clients spread over (default per scenario)", min: 1);
        var rate = options.OptionalPositive("rate", "inputs per client per second (default per scenario)");
        var ramp = options.OptionalPositive("ramp", "connects per second (default per scenario)");
        var duration = options.Duration("duration", "the measured window", TimeSpan.FromSeconds(30));
        var warmup = options.Duration("warmup", "excluded warm-up", TimeSpan.FromSeconds(5), allowZero: true);
        var ping = options.Duration("ping-interval", "client pings", TimeSpan.FromSeconds(2));
        var connectTimeout = options.Duration("connect-timeout", "longest connect phase", TimeSpan.FromSeconds(60));
        var setupTimeout = options.Duration("setup-timeout", "longest setup phase", TimeSpan.FromSeconds(20));
        var seed = options.Int("seed", "random seed", 42);
        var authSecret = options.Text("auth-secret", "mint tokens for chosen home sectors with this secret");
        var tokenFile = options.Text("token-file", "one player token per line");
        var serverPids = options.List("server-pid", "PID[,PID...] of the server processes to sample", []);
        var json = options.Text("json", "write the results here");
        var label = options.Text("label", "a label for the results");
        var world = options.Text("world", "the world's size in sectors", fallback: "8x8");
        var leaveHalf = options.Duration(
            "leave-half",
            "after the measured window, half the clients leave; wait up to this long for the sector's deltas back at full speed (time dilation 1) and report how long it took (0: off)",
            TimeSpan.Zero,
            allowZero: true);
        var metricsUrls = options.List("metrics-url", "URL[,URL...] of AkkaGame nodes' /metrics, read at the end of the measured window (tick p99, time dilation)", []);
        var predictMotion = options.Bool(
            "predict-motion",
            "clients say Hello.predicts_motion: deltas leave out ships that only flew on (PROTOCOL.md, Motion prediction); servers that ignore it send them all",
            false);
        var root = new RootCommand("Benchmark mode: one scenario, open-loop, JSON results (bench/README.md).")
        {
            scenario, endpoints, clients, bots, sectors, rate, ramp, duration, warmup, ping, connectTimeout, setupTimeout,
            seed, authSecret, tokenFile, serverPids, json, label, world, leaveHalf, metricsUrls, predictMotion,
        };
        root.SetAction((parsed, _) =>
        {
            var name = parsed.GetValue(scenario)!;
            var kind = Scenarios[name];

            // Defaults per scenario: (clients, sectors, rate per client per second, ramp).
            var (defaultClients, defaultSectors, defaultRate, defaultRamp) = kind switch
            {
                Scenario.Idle => (1000, 64, 1.0, 200.0),
                Scenario.Movers => (200, 16, 2.0, 200.0),
                Scenario.HotSector => (300, 1, 2.0, 200.0),

                // Mining is allowed once per second: 0.95/s keeps timer jitter from causing COOLDOWN.
                Scenario.Economy => (200, 64, 0.95, 200.0),
                Scenario.Storm => (1000, 64, 0.5, 100.0),
                _ => (200, 16, 0.5, 200.0),
            };
            var (worldX, worldY) = World(parsed.GetValue(world)!);
            var pids = parsed.GetValue(serverPids)!
                .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : throw new ArgumentException($"--server-pid: '{p}' is not a process id"))
                .ToArray();
            return run(new BenchOptions(
                kind,
                name,
                parsed.GetValue(endpoints)!,
                parsed.GetValue(clients) ?? parsed.GetValue(bots) ?? defaultClients,
                Math.Min(parsed.GetValue(sectors) ?? defaultSectors, worldX * worldY),
                parsed.GetValue(rate) ?? defaultRate,
                parsed.GetValue(ramp) ?? defaultRamp,
                parsed.GetValue(duration),
                parsed.GetValue(warmup),
                parsed.GetValue(ping),
                parsed.GetValue(connectTimeout),
                parsed.GetValue(setupTimeout),
                parsed.GetValue(seed),
                parsed.GetValue(authSecret),
                parsed.GetValue(tokenFile),
                pids,
                parsed.GetValue(json),
                parsed.GetValue(label),
                worldX,
                worldY,
                parsed.GetValue(leaveHalf),
                parsed.GetValue(metricsUrls)!,
                parsed.GetValue(predictMotion)));
        });
        return root;
    }

    private static (int X, int Y) World(string text)
    {
        var parts = text.Split('x');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var x) && x > 0
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y > 0
            ? (x, y)
            : throw new ArgumentException($"--world must look like 8x8, not '{text}'");
    }
}
