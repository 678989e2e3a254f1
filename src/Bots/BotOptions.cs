using System.CommandLine;
using AkkaGame.CommandLine;

namespace AkkaGame.Bots;

/// <summary>The command line of the bot load generator, parsed and checked up front.</summary>
internal sealed record BotOptions(
    IReadOnlyList<string> Endpoints,
    int Bots,
    TimeSpan Duration,
    string? TokenFile,
    double Ramp,
    int Seed)
{
    /// <summary>The bots' command; <paramref name="run"/> gets the checked options.</summary>
    public static RootCommand Command(Func<BotOptions, Task<int>> run)
    {
        var options = new Options(Environment.GetEnvironmentVariable);
        var endpoints = options.List("endpoints", "host:port[,host:port...] of the nodes", ["127.0.0.1:7777"], atLeastOne: true);
        var bots = options.Int("bots", "simulated players", 10, min: 1);
        var duration = options.Duration("duration", "how long to play", TimeSpan.FromSeconds(60));
        var tokenFile = options.Text("token-file", "one player token per line, one per bot (default: guests)");
        var ramp = options.Positive("ramp", "connects per second", 50);
        var seed = options.Int("seed", "random seed (default: varies)", Environment.TickCount);
        var root = new RootCommand("Bot load generator: simulated players against one or more nodes for a bounded time, with a live line per second and a summary. Benchmark mode: --scenario (see bench/README.md).")
        {
            endpoints, bots, duration, tokenFile, ramp, seed,
        };
        root.SetAction((parsed, _) =>
            run(new BotOptions(parsed.GetValue(endpoints)!, parsed.GetValue(bots), parsed.GetValue(duration), parsed.GetValue(tokenFile), parsed.GetValue(ramp), parsed.GetValue(seed))));
        return root;
    }
}
