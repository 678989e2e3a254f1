using System.Globalization;
using System.Text;
using AkkaGame.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// Real processes on loopback: PostgreSQL, the lighthouse and three game nodes, with 30 players
/// (half token, half guest) mining, chatting and jumping on every node, through rounds of
/// faults at awkward moments. After every round: nothing acknowledged is lost (journal and
/// clients' own observations), no entity had two writers, no player waited more than 15 s.
/// The short run (each fault kind once) is part of the normal test command;
/// AKKAGAME_CHAOS_ROUNDS=N runs N rounds (kinds shuffled) as a soak; AKKAGAME_CHAOS_KINDS=A,B
/// only those kinds; AKKAGAME_CHAOS_NODE_CONFIG=HOCON is added to every node's configuration
/// (for example akka.loglevel = DEBUG, to study a failover).
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int NodeCount = 3;

    [Fact]
    public Task Lighthouse_seeded_cluster_loses_nothing_acknowledged_through_every_kind_of_fault() =>
        RunAsync(SeedMode.LighthouseOnly, Enum.GetValues<FaultKind>());

    [Fact]
    public Task All_member_seeded_cluster_loses_nothing_acknowledged_through_kills_and_lighthouse_loss() =>
        RunAsync(SeedMode.AllMembers, [FaultKind.KillCoordinator, FaultKind.KillStayDown, FaultKind.LighthouseKill]);

    private async Task RunAsync(SeedMode seeds, FaultKind[] kinds)
    {
        kinds = Kinds("AKKAGAME_CHAOS_KINDS") ?? kinds;
        var rounds = Setting("AKKAGAME_CHAOS_ROUNDS", kinds.Length);
        var playerCount = Setting("AKKAGAME_CHAOS_PLAYERS", 30);
        var random = new Random(Setting("AKKAGAME_CHAOS_SEED", 7));
        var log = new StringBuilder();
        void Log(string line)
        {
            var stamped = $"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}";
            lock (log)
            {
                log.AppendLine(stamped);
            }

            output.WriteLine(stamped);
        }

        var audit = new ClientAudit();
        await using var cluster = new ClusterHarness(NodeCount, seeds, Log);
        await cluster.StartAsync();
        var players = ChaosRun.MakePlayers(playerCount, cluster.GameEndpoints, audit);
        var run = new ChaosRun(cluster, players, audit, random, Log);
        using var stop = new CancellationTokenSource();
        var running = players.Select(p => Task.Run(() => p.RunAsync(stop.Token))).ToList();
        try
        {
            await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
            await WaitUntil(() => players.All(p => p.Mines > 0), TimeSpan.FromSeconds(120), "every player mined once before the faults");
            Log($"{players.Count} players playing on {NodeCount} nodes ({seeds} seeds)");

            var order = Schedule(kinds, rounds, random);
            for (var round = 0; round < order.Count; round++)
            {
                await run.RoundAsync(round + 1, order[round]);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
            var summary = run.Summary(seeds, playerCount);
            Log(summary);
            WriteSummary(seeds, summary + "\n" + log);
        }

        await run.FinalAuditAsync();
        var final = run.Summary(seeds, playerCount);
        Log("after the final audit (fresh logins):\n" + final);
        WriteSummary(seeds, final + "\n" + log);
        run.AssertNoPlayerWaitedTooLong();
    }

    /// <summary>The short run: each kind once, in the given order. A soak: kinds shuffled, each cycle anew.</summary>
    private static List<FaultKind> Schedule(FaultKind[] kinds, int rounds, Random random)
    {
        var order = new List<FaultKind>();
        while (order.Count < rounds)
        {
            var cycle = order.Count == 0 && rounds == kinds.Length ? kinds.ToList() : kinds.OrderBy(_ => random.Next()).ToList();
            order.AddRange(cycle.Take(rounds - order.Count));
        }

        return order;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    /// <summary>A soak of chosen kinds only (comma-separated names), to study one awkward moment.</summary>
    private static FaultKind[]? Kinds(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } names
            ? names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<FaultKind>).ToArray()
            : null;

    private static void WriteSummary(SeedMode seeds, string text)
    {
        var results = Path.Combine(Repository.Root, "TestResults");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, $"chaos-summary-{seeds.ToString().ToLowerInvariant()}.txt"), text);
    }
}
