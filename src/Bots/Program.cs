using System.Diagnostics;
using AkkaGame.Bots;
using AkkaGame.CommandLine;
using AkkaGame.Protocol.Client;

// Bot load generator: N simulated players against one or more nodes for a bounded time, with a
// live line per second and a summary. Exit code 0 when any bot connected, 1 when none did, 2 on
// bad arguments.
if (AkkaGame.Bots.Bench.BenchOptions.IsBenchmark(args))
{
    // Benchmark mode (bench/README.md): one scenario, open-loop, JSON results.
    return await CommandRunner.RunAsync(AkkaGame.Bots.Bench.BenchOptions.Command(AkkaGame.Bots.Bench.BenchRunner.RunAsync), args);
}

return await CommandRunner.RunAsync(BotOptions.Command(RunAsync), args);

static async Task<int> RunAsync(BotOptions options)
{
    IReadOnlyList<string>? tokens;
    try
    {
        tokens = options.TokenFile is null ? null : ReadTokens(options.TokenFile, options.Bots);
    }
    catch (IOException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 2;
    }

    Console.WriteLine(
        $"bots={options.Bots} endpoints={string.Join(',', options.Endpoints)} duration={options.Duration.TotalSeconds:0}s " +
        $"ramp={options.Ramp}/s seed={options.Seed}");

    using var stop = new CancellationTokenSource(options.Duration);
    Console.CancelKeyPress += (_, e) =>
    {
        // Ctrl-C ends the run early but still leaves and prints the summary.
        e.Cancel = true;
        stop.Cancel();
    };

    var stats = new Stats();
    var bots = Enumerable.Range(0, options.Bots)
        .Select(i => new Bot(i, ClientOptions(options, tokens, i), stats, options.Seed + i))
        .ToArray();
    var clock = Stopwatch.StartNew();
    var reporter = ReportAsync(stats, bots, clock, stop.Token);
    var runs = new List<Task>(bots.Length);
    for (var i = 0; i < bots.Length && !stop.IsCancellationRequested; i++)
    {
        runs.Add(bots[i].RunAsync(stop.Token));
        var due = TimeSpan.FromSeconds((i + 1) / options.Ramp) - clock.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.WhenAny(Task.Delay(due, stop.Token));
        }
    }

    await Task.WhenAll(runs);
    await reporter;
    var connectedAtEnd = bots.Count(b => b.IsConnected);
    await Task.WhenAll(bots.Select(b => b.LeaveAsync(TimeSpan.FromSeconds(2))));
    await Task.WhenAll(bots.Select(b => b.DisposeAsync().AsTask()));
    Console.Write(stats.Summary(clock.Elapsed, bots.Length, connectedAtEnd));
    return stats.EverConnected > 0 ? 0 : 1;
}

static GameClientOptions ClientOptions(BotOptions options, IReadOnlyList<string>? tokens, int index) => new()
{
    // Rotated per bot so the bots spread over the nodes, and each fails over to the others.
    Endpoints = options.Endpoints.Skip(index % options.Endpoints.Count)
        .Concat(options.Endpoints.Take(index % options.Endpoints.Count))
        .ToArray(),
    Token = tokens?[index],
    GuestName = tokens is null ? $"bot-{index}" : null,
    KeepInbox = false,
};

static IReadOnlyList<string> ReadTokens(string path, int bots)
{
    var tokens = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    // Two bots sharing a token would log each other out (SESSION_REPLACED) forever.
    return tokens.Length >= bots
        ? tokens
        : throw new ArgumentException($"{path} holds {tokens.Length} tokens, fewer than the {bots} bots");
}

static async Task ReportAsync(Stats stats, Bot[] bots, Stopwatch clock, CancellationToken ct)
{
    long lastIn = 0;
    long lastOut = 0;
    var last = clock.Elapsed;
    using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
    try
    {
        while (await timer.WaitForNextTickAsync(ct))
        {
            var now = clock.Elapsed;
            var connected = bots.Count(b => b.IsConnected);
            Console.WriteLine(stats.LiveLine(now, connected, bots.Length, ref lastIn, ref lastOut, now - last));
            last = now;
        }
    }
    catch (OperationCanceledException) when (ct.IsCancellationRequested)
    {
        Console.WriteLine("stopping: leaving the game");
    }
}
