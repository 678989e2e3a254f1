using System.Globalization;
using System.Text;
using AkkaGame.Node.Auth;
using AkkaGame.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// Real processes on loopback: PostgreSQL, the lighthouse and three game nodes, with players
/// mining, chatting and jumping across sectors on all nodes, while nodes are killed (kill -9),
/// drained (SIGTERM) and the lighthouse is killed. After every fault: nothing acknowledged is
/// lost, no entity ever had two writers, every player's sector serves again (timed).
/// A short run is part of the normal test command; AKKAGAME_CHAOS_ROUNDS=N runs a soak.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int NodeCount = 3;
    private static readonly TimeSpan ServeTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cluster_survives_kills_drains_and_lighthouse_loss_without_losing_acknowledged_data()
    {
        var rounds = Setting("AKKAGAME_CHAOS_ROUNDS", 1);
        var playerCount = Setting("AKKAGAME_CHAOS_PLAYERS", 12);
        var random = new Random(Setting("AKKAGAME_CHAOS_SEED", 7));
        var log = new StringBuilder();
        void Log(string line)
        {
            var stamped = $"[{DateTime.UtcNow:HH:mm:ss.fff}] {line}";
            log.AppendLine(stamped);
            output.WriteLine(stamped);
        }

        await using var cluster = new ClusterHarness(NodeCount, Log);
        await cluster.StartAsync();

        var tokens = TokenService.FromSecret(ClusterHarness.Secret);
        var players = Enumerable.Range(0, playerCount)
            .Select(i => new ChaosPlayer($"chaos-{i}", tokens.MintPlayerToken($"chaos-{i}", $"Chaos {i}", TimeSpan.FromHours(2)), cluster.GameEndpoints, i))
            .ToList();
        using var stop = new CancellationTokenSource();
        var running = players.Select(p => Task.Run(() => p.RunAsync(stop.Token))).ToList();
        var killTimes = new List<double>();
        var drainTimes = new List<double>();
        var lighthouseTimes = new List<double>();
        var checkedOps = 0;
        try
        {
            await Converged(cluster, Log);
            await WaitUntil(() => players.All(p => p.Mines > 0), TimeSpan.FromSeconds(90), "every player mined once before the faults");
            Log($"{players.Count} players playing on {NodeCount} nodes");

            for (var round = 0; round < rounds; round++)
            {
                // First kill the oldest node, which hosts the shard coordinators; then at random.
                var victim = round == 0 ? cluster.Nodes[0] : cluster.Nodes[random.Next(NodeCount)];
                killTimes.Add(await Fault(cluster, players, $"kill -9 node{victim.Index}", () => cluster.KillNodeAsync(victim), Log));
                await cluster.StartNodeAsync(victim);
                await Converged(cluster, Log);
                checkedOps += await Audit(cluster, players, Log);

                var drained = cluster.Nodes[random.Next(NodeCount)];
                drainTimes.Add(await Fault(cluster, players, $"drain node{drained.Index}", () => cluster.DrainNodeAsync(drained), Log));
                await cluster.StartNodeAsync(drained);
                await Converged(cluster, Log);
                checkedOps += await Audit(cluster, players, Log);

                lighthouseTimes.Add(await Fault(cluster, players, "kill -9 lighthouse", cluster.KillLighthouseAsync, Log));
                await cluster.StartLighthouseAsync();
                await Converged(cluster, Log);
                checkedOps += await Audit(cluster, players, Log);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(running);
            foreach (var player in players)
            {
                await player.DisposeAsync();
            }
        }

        checkedOps += await Audit(cluster, players, Log);
        var summary = string.Join('\n',
            "chaos summary",
            $"  rounds={rounds} nodes={NodeCount} players={players.Count}",
            $"  faults: kill-9={killTimes.Count} drain={drainTimes.Count} lighthouse-kill={lighthouseTimes.Count}",
            $"  acknowledged operations checked={checkedOps} (mines={players.Sum(p => p.Mines)}, chats={players.Sum(p => p.AckedChats.Count)}, jumps={players.Sum(p => p.Jumps)}) lost: 0",
            $"  failover after kill -9 (longest gap any player saw): {Stats(killTimes)}",
            $"  failover after drain (longest gap any player saw): {Stats(drainTimes)}",
            $"  gap after lighthouse kill: {Stats(lighthouseTimes)}",
            "  convergence to the expected members checked after every restart");
        Log(summary);
        WriteSummary(summary + "\n\n" + log);
    }

    /// <summary>
    /// Runs a fault, waits until every player's sector answers after the fault is done, and
    /// returns the longest time any player went without a delta or snapshot meanwhile: the
    /// outage a player saw (for a kill, kill to serving again; for a drain, the hand-off).
    /// </summary>
    private static async Task<double> Fault(ClusterHarness cluster, List<ChaosPlayer> players, string name, Func<Task> fault, Action<string> log)
    {
        var at = DateTime.UtcNow;
        foreach (var player in players)
        {
            player.Mark(at);
        }

        log($"fault: {name}");
        await fault();
        var done = DateTime.UtcNow;
        foreach (var player in players)
        {
            player.Mark(done, resetGap: false);
        }

        try
        {
            await WaitUntil(() => players.All(p => p.ServedAfterMark is not null), ServeTimeout, $"every player's sector serving after {name}");
        }
        catch (TimeoutException)
        {
            log("  not served: " + string.Join(", ", players.Where(p => p.ServedAfterMark is null).Select(p => $"{p.PlayerId} ({p.Describe()})")));
            LogMilestones(cluster, log);
            log(cluster.Tails());
            throw;
        }

        var seconds = players.Max(p => p.LongestGap.TotalSeconds);
        log($"  all sectors serving again; longest gap a player saw: {seconds:0.00} s ({name} took {(done - at).TotalSeconds:0.00} s)");
        LogMilestones(cluster, log);

        return seconds;
    }

    private static async Task Converged(ClusterHarness cluster, Action<string> log)
    {
        var took = await cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
        log($"  cluster converged to {cluster.ExpectedMembers.Count} members, all Up and reachable ({took.TotalSeconds:0.0} s)");
    }

    private static void LogMilestones(ClusterHarness cluster, Action<string> log)
    {
        foreach (var line in cluster.Milestones())
        {
            log("    " + (line.Length > 220 ? line[..220] : line));
        }
    }

    /// <summary>Everything acknowledged so far is stored; no entity had two writers. Returns how many acks it checked.</summary>
    private static async Task<int> Audit(ClusterHarness cluster, List<ChaosPlayer> players, Action<string> log)
    {
        // What was acknowledged is taken before the journal is read: an ack that arrives during
        // the read may be for an event the read did not see yet.
        var acked = players.Select(p => (Player: p, Balances: p.AckedBalances, Chats: p.AckedChats)).ToList();
        var audit = await JournalAudit.ReadAsync(cluster.ConnectionString);
        Assert.True(audit.EntitiesWithTwoWriters.Count == 0, "two writers: " + string.Join("; ", audit.EntitiesWithTwoWriters));
        var checkedOps = 0;
        foreach (var (player, balances, chats) in acked)
        {
            var stored = audit.BalanceHistory(player.PlayerId).ToHashSet();
            foreach (var balance in balances)
            {
                Assert.True(stored.Contains(balance), $"{player.PlayerId}: acknowledged balance {balance} is not stored (stored: {string.Join(",", stored.Order())})");
                checkedOps++;
            }

            foreach (var chat in chats)
            {
                Assert.True(audit.HasChat(chat), $"{player.PlayerId}: acknowledged chat {chat} is not in {chat.SectorId}'s history");
                checkedOps++;
            }
        }

        log($"  audit: {checkedOps} acknowledged operations stored, {audit.EventsRead} events read, no entity with two writers");
        return checkedOps;
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

    private static string Stats(List<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return "n/a";
        }

        var sorted = seconds.Order().ToList();
        return string.Create(CultureInfo.InvariantCulture, $"min={sorted[0]:0.00}s median={sorted[sorted.Count / 2]:0.00}s max={sorted[^1]:0.00}s (n={sorted.Count})");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static void WriteSummary(string text)
    {
        var results = Path.Combine(Repository.Root, "TestResults");
        Directory.CreateDirectory(results);
        File.WriteAllText(Path.Combine(results, "chaos-summary.txt"), text);
    }
}
