using System.Diagnostics;
using System.Globalization;
using System.Text;
using Akkagame.V1;
using AkkaGame.Game.Auth;
using AkkaGame.Protocol.Client;
using AkkaGame.TestSupport;
using Xunit;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// One chaos run: a cluster, players on every node, and rounds of faults. After every round
/// the journal and the clients' own observations are audited; every round's outage is measured
/// from the clients' side (the longest time any player went without a delta or snapshot).
/// </summary>
public sealed class ChaosRun
{
    /// <summary>No player may wait longer than this for its sector in any round (issue 10, point 4).</summary>
    public static readonly TimeSpan LongestAllowedWait = TimeSpan.FromSeconds(15);

    /// <summary>A player counts as affected by a fault when it went at least this long without a frame (its own ship shifts every 350 ms, so a served player gets deltas at least that often).</summary>
    private static readonly TimeSpan AffectedGap = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ServeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Credits per mine: game.conf's mine-amount, which the chaos configuration keeps.</summary>
    private const long MineAmount = 10;

    /// <summary>What the journal's unique key says when a second instance of an entity tries to write a taken sequence number.</summary>
    private const string SecondWriterRefused = "duplicate key value violates unique constraint";

    private readonly ClusterHarness _cluster;
    private readonly List<ChaosPlayer> _players;
    private readonly ClientAudit _audit;
    private readonly Random _random;
    private readonly Action<string> _log;
    private readonly List<RoundResult> _rounds = [];
    private readonly List<double> _restartToHosting = [];

    /// <summary>Each player's longest wait from the fault until the first restart of the round (null until then).</summary>
    private List<double>? _faultPhaseGaps;

    /// <summary>The player that waited longest in the fault phase, described when the phase ended.</summary>
    private string? _faultPhaseWorst;
    private readonly Dictionary<FaultKind, int> _refusedWrites = [];

    /// <summary>Rounds of a move with a fault so far, drains (true) and kills (false) counted apart.</summary>
    private readonly Dictionary<bool, int> _moveFaults = [];
    private int _checkedOps;
    private int _twoWriterEntities;
    private int _eventsRead;

    public ChaosRun(ClusterHarness cluster, List<ChaosPlayer> players, ClientAudit audit, Random random, Action<string> log)
    {
        _cluster = cluster;
        _players = players;
        _audit = audit;
        _random = random;
        _log = log;
    }

    public IReadOnlyList<RoundResult> Rounds => _rounds;

    public static List<ChaosPlayer> MakePlayers(int count, IReadOnlyList<string> endpoints, ClientAudit audit)
    {
        // Half log in with signed tokens, half as guests that resume with their resume token.
        var tokens = TokenService.FromSecret(ClusterHarness.Secret);
        return Enumerable.Range(0, count)
            .Select(i => new ChaosPlayer(
                $"chaos-{i}",
                i % 2 == 0 ? tokens.MintPlayerToken($"chaos-{i}", $"Chaos {i}", TimeSpan.FromHours(4)) : null,
                endpoints,
                i,
                audit))
            .ToList();
    }

    public async Task RoundAsync(int number, FaultKind kind)
    {
        _log($"=== round {number}: {kind}");
        var started = DateTime.UtcNow;
        _faultPhaseGaps = null;
        _faultPhaseWorst = null;
        foreach (var player in _players)
        {
            player.Mark(started);
        }

        var refusedBefore = _cluster.CountInLogs(SecondWriterRefused);
        var extra = kind switch
        {
            FaultKind.KillStayDown => await KillStayDownAsync(),
            FaultKind.KillDuringRebalance => await KillDuringRebalanceAsync(),
            FaultKind.KillDuringDrain => await KillDuringDrainAsync(),
            FaultKind.DrainDuringRebalance => await DrainDuringRebalanceAsync(),
            FaultKind.KillCoordinator => await KillAsync(_cluster.Oldest, "the coordinators' node"),
            FaultKind.TwoKills => await TwoKillsAsync(),
            FaultKind.Freeze => await FreezeAsync(),
            FaultKind.Drain => await DrainAsync(Pick(_cluster.Running.ToList())),
            FaultKind.DrainCoordinator => await DrainAsync(_cluster.Oldest),
            FaultKind.LighthouseKill => await LighthouseKillAsync(),
            FaultKind.KillDuringMove => await FaultDuringMoveAsync(drain: false),
            FaultKind.DrainDuringMove => await FaultDuringMoveAsync(drain: true),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        await ServedAsync(kind.ToString());

        // A write refused by the journal's key means two instances of one entity were alive. A
        // frozen node's zombie is the one fault where that is expected: its fence keeps it from
        // acknowledging, and the key refuses its write. Anywhere else it is a double allocation.
        var refused = _cluster.CountInLogs(SecondWriterRefused) - refusedBefore;
        _refusedWrites[kind] = _refusedWrites.GetValueOrDefault(kind) + refused;
        Assert.True(kind == FaultKind.Freeze || refused == 0, $"round {number} ({kind}): the journal refused {refused} writes of a second live instance of an entity (see {_cluster.LogDirectory})");
        // Two phases: the fault itself (until the round's first restart), and the restart with
        // the rebalance toward the restarted node, a planned move measured on its own line.
        var now = _players.Select(p => p.LongestGap.TotalSeconds).ToList();
        var faultGaps = _faultPhaseGaps ?? now;
        var restartGaps = _faultPhaseGaps is null ? [] : now;
        var round = new RoundResult(
            number,
            kind,
            faultGaps.Max(),
            faultGaps.Where(g => g >= AffectedGap.TotalSeconds).ToList(),
            restartGaps.Count == 0 ? null : restartGaps.Max(),
            restartGaps.Where(g => g >= AffectedGap.TotalSeconds).ToList(),
            extra);
        _rounds.Add(round);
        _log($"  round {number} {kind}: longest wait {round.Worst:0.00} s, {round.Affected.Count} players affected" +
            (round.RestartWorst is { } rw ? $"; after the restart {rw:0.00} s, {round.RestartAffected.Count} affected" : string.Empty) +
            (extra.Length > 0 ? "; " + extra : string.Empty));
        if (round.Affected.Count > 0)
        {
            _log($"  longest wait in the fault: {_faultPhaseWorst ?? WorstPlayer()}");
        }

        if (round.RestartAffected.Count > 0)
        {
            _log($"  longest wait after the restart: {WorstPlayer()}");
        }

        foreach (var line in _cluster.Milestones(started).TakeLast(40))
        {
            _log("    " + (line.Length > 200 ? line[..200] : line));
        }

        await ConvergedAsync();
        await AuditAsync();
    }

    /// <summary>
    /// Rounds in which a player waited longer than allowed. Checked at the end, so a soak
    /// reports every slow round with its figures instead of stopping at the first; anything
    /// lost stops the run at once (<see cref="AuditAsync"/>).
    /// </summary>
    public void AssertNoPlayerWaitedTooLong()
    {
        var slow = _rounds.Where(r => r.Longest > LongestAllowedWait.TotalSeconds).Select(r => $"round {r.Number} ({r.Kind}): {r.Longest:0.00} s").ToList();
        Assert.True(slow.Count == 0, $"players waited longer than {LongestAllowedWait.TotalSeconds:0} s for their sector in: {string.Join("; ", slow)}");
    }

    /// <summary>The end: every player logs in afresh and must see at least its highest acknowledged balance; then the final audit.</summary>
    public async Task FinalAuditAsync()
    {
        foreach (var player in _players)
        {
            var resume = player.Client.ResumeToken;
            var highest = player.HighestAckedBalance;
            await player.DisposeAsync();
            Assert.True(resume is not null, $"{player.Name} never logged in, so nothing of it was checked");

            await using var fresh = new GameClient(new GameClientOptions
            {
                Endpoints = _cluster.Running.Select(n => n.Endpoint).ToList(),
                ResumeToken = resume,
                AutoReconnect = false,
                KeepInbox = false,
            });
            var welcome = await ConnectWithRetriesAsync(fresh);
            if (welcome.Credits < highest)
            {
                _audit.Violation($"{welcome.PlayerId}: a fresh login's Welcome shows {welcome.Credits} credits, below the acknowledged {highest}");
            }

            _checkedOps++;
            await fresh.SendLeaveAsync();
        }

        await AuditAsync();
    }

    public string Summary(SeedMode seeds, int playerCount)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"chaos summary ({seeds} seeds)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  rounds={_rounds.Count} nodes={_cluster.Nodes.Count} players={playerCount} (half token, half guest)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  programs: {Repository.Programs}");
        text.AppendLine("  faults: " + string.Join(", ", _rounds.GroupBy(r => r.Kind).Select(g => $"{g.Key}={g.Count()}")));
        text.AppendLine(CultureInfo.InvariantCulture, $"  acknowledged operations checked={_checkedOps} (mines={_players.Sum(p => p.Mines)}, chats={_players.Sum(p => p.AckedChats.Count)}, jumps={_players.Sum(p => p.Jumps)}); journal events read={_eventsRead}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  lost or contradicted: {_audit.Violations.Count}; entities with events of one instance around another's: {_twoWriterEntities}");
        text.AppendLine("  writes of a second instance refused by the journal's key: " + (_refusedWrites.Count == 0 ? "none" : string.Join(", ", _refusedWrites.Select(r => $"{r.Key}={r.Value}"))) + " (only a woken zombie's are expected, fenced)");
        text.AppendLine("  longest wait of any player per round, from the fault to the round's first restart, seconds (min/median/p90/max over rounds):");
        foreach (var group in _rounds.GroupBy(r => r.Kind))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {group.Key,-20} {Stats(group.Select(r => r.Worst).ToList())}; affected players' waits {Stats(group.SelectMany(r => r.Affected).ToList())}");
        }

        var restarts = _rounds.Where(r => r.RestartWorst is not null).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"    {"after a restart",-20} {Stats(restarts.Select(r => r.RestartWorst!.Value).ToList())}; affected players' waits {Stats(restarts.SelectMany(r => r.RestartAffected).ToList())} (the rebalance toward the restarted node, every kind)");

        text.AppendLine(CultureInfo.InvariantCulture, $"  restarted node Up and hosting shards, seconds from process start: {Stats(_restartToHosting)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  rounds where a player waited over {LongestAllowedWait.TotalSeconds:0} s: {_rounds.Count(r => r.Longest > LongestAllowedWait.TotalSeconds)}");
        return text.ToString();
    }

    private async Task<string> KillStayDownAsync()
    {
        var victim = Pick(_cluster.Running.ToList());
        var extra = await KillAsync(victim, "stays down", restart: false);

        // Down long enough that its shards moved and served elsewhere, then some more.
        await Task.Delay(TimeSpan.FromSeconds(_random.Next(3, 8)));
        return extra + "; " + await RestartAsync(victim);
    }

    private async Task<string> KillDuringRebalanceAsync()
    {
        var first = Pick(_cluster.Running.ToList());
        var (restartNote, seen) = await KillAndRestartUntilRebalanceAsync(first);

        // Kill another node the moment the coordinator starts moving shards to the restarted one.
        var second = Pick(_cluster.Running.Where(n => n != first).ToList());
        MarkAll();
        var extra = await KillAsync(second, seen ? $"during the rebalance toward node{first.Index}" : "(no rebalance seen within 25 s)");
        return restartNote + "; " + extra;
    }

    /// <summary>
    /// Kills a node, restarts it, and returns once it is hosting and the coordinator has started
    /// moving shards to it (or 25 s passed without that): the awkward moment of the *DuringRebalance kinds.
    /// </summary>
    private async Task<(string RestartNote, bool RebalanceSeen)> KillAndRestartUntilRebalanceAsync(NodeSlot node)
    {
        await KillAsync(node, "to come back", restart: false);
        var rebalances = _cluster.CountLines("Starting rebalance");
        var restarted = RestartAsync(node, endsFault: false);
        var deadline = Stopwatch.StartNew();
        while (_cluster.CountLines("Starting rebalance") == rebalances && deadline.Elapsed < TimeSpan.FromSeconds(25))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        var seen = _cluster.CountLines("Starting rebalance") > rebalances;
        return (await restarted, seen);
    }

    private async Task<string> KillDuringDrainAsync()
    {
        var drained = Pick(_cluster.Running.ToList());
        var victim = Pick(_cluster.Running.Where(n => n != drained).ToList());
        await _cluster.BeginDrainAsync(drained);
        await Task.Delay(TimeSpan.FromMilliseconds(_random.Next(200, 1500)));
        await _cluster.KillNodeAsync(victim);
        _log($"  node{victim.Index} killed while node{drained.Index} drains");
        var exited = drained.Process is null || await drained.Process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exited, $"node{drained.Index} did not finish draining within 60 s");
        await ClusterHarness.ReapAsync(drained);
        await ServedAsync("the kill during the drain");
        var first = await RestartAsync(victim);
        return first + "; " + await RestartAsync(drained);
    }

    private async Task<string> DrainDuringRebalanceAsync()
    {
        // Drain the restarted node while the coordinator moves shards to it: at once, or a moment
        // later when the first sectors are recovering or have just arrived there.
        var node = Pick(_cluster.Running.ToList());
        var (restartNote, seen) = await KillAndRestartUntilRebalanceAsync(node);
        await Task.Delay(TimeSpan.FromMilliseconds(_random.Next(0, 1200)));

        // The kill's own wait is measured by the kill kinds; this round measures the drain.
        foreach (var player in _players)
        {
            player.Mark(DateTime.UtcNow);
        }

        _log($"  draining node{node.Index} {(seen ? "during the rebalance toward it" : "(no rebalance seen within 25 s)")}");
        await _cluster.DrainNodeAsync(node);
        await ServedAsync($"drain of node{node.Index}");
        return restartNote + "; " + await RestartAsync(node);
    }

    private async Task<string> TwoKillsAsync()
    {
        var first = Pick(_cluster.Running.ToList());
        await _cluster.KillNodeAsync(first);
        var removed = await _cluster.WaitRemovedAsync(first, TimeSpan.FromSeconds(30));
        var second = Pick(_cluster.Running.Where(n => n != first).ToList());
        await _cluster.KillNodeAsync(second);
        _log($"  node{first.Index} removed {removed.TotalSeconds:0.0} s after its kill; node{second.Index} killed");
        await ServedAsync("two kills");
        var a = await RestartAsync(first);
        return a + "; " + await RestartAsync(second);
    }

    private async Task<string> KillAsync(NodeSlot victim, string why, bool restart = true)
    {
        await _cluster.KillNodeAsync(victim);
        _log($"  node{victim.Index} killed ({why})");
        await ServedAsync($"kill -9 node{victim.Index}");
        var removed = await _cluster.WaitRemovedAsync(victim, TimeSpan.FromSeconds(30));
        var note = $"node{victim.Index} removed from membership";
        return restart ? note + "; " + await RestartAsync(victim) : note;
    }

    private async Task<string> FreezeAsync()
    {
        var frozen = Pick(_cluster.Running.ToList());

        // A client of the frozen node that asks for a write while the node is frozen: when it
        // wakes, it reads that request off its socket, and must not acknowledge it.
        await using var probe = new GameClient(new GameClientOptions
        {
            Endpoints = [frozen.Endpoint],
            Token = TokenService.FromSecret(ClusterHarness.Secret).MintPlayerToken("chaos-probe", "Probe", TimeSpan.FromHours(1)),
            AutoReconnect = false,
            PingInterval = TimeSpan.Zero,
            KeepInbox = false,
        });
        await ConnectWithRetriesAsync(probe);

        await _cluster.FreezeAsync(frozen);
        var probeChat = probe.RequestAsync(new ClientMessage { Chat = new Chat { Text = "written while the node was frozen" } }, TimeSpan.FromSeconds(60));
        var removed = await _cluster.WaitRemovedAsync(frozen, TimeSpan.FromSeconds(40));
        await ServedAsync($"freeze of node{frozen.Index}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var woke = DateTime.UtcNow;
        await _cluster.ThawAsync(frozen);

        // Downed while frozen: on waking it must acknowledge nothing and shut itself down.
        var exited = await frozen.Process!.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exited, $"node{frozen.Index} still runs 30 s after it woke from a freeze during which it was downed:\n{frozen.Process.Tail(60)}");
        Assert.True(frozen.Process.Lines(l => l.Contains("This process stalled", StringComparison.Ordinal)).Count > 0, $"node{frozen.Index} woke without noticing its stall:\n{frozen.Process.Tail(60)}");
        var probeAnswer = await AnswerOrFailureAsync(probeChat);
        Assert.True(probeAnswer is not ServerMessage { Chat: not null }, $"node{frozen.Index} acknowledged a chat line after waking as a zombie: {probeAnswer}");
        var zombieAcks = _players.SelectMany(p => p.Acks.Where(a => a.Endpoint == frozen.Endpoint && a.At >= woke).Select(a => $"{p.PlayerId} {a.Kind} {a.Balance}")).ToList();
        Assert.True(zombieAcks.Count == 0, $"node{frozen.Index} acknowledged after waking as a zombie: {string.Join(", ", zombieAcks)}");
        await ClusterHarness.ReapAsync(frozen);
        _log($"  node{frozen.Index} was removed {removed.TotalSeconds:0.0} s into the freeze, woke, noticed its stall, acknowledged nothing (its client's chat got: {Describe(probeAnswer)}) and exited");
        return await RestartAsync(frozen);
    }

    private static async Task<object> AnswerOrFailureAsync<T>(Task<T> request)
        where T : notnull
    {
        try
        {
            return await request;
        }
        catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or GameErrorException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return e;
        }
    }

    private static string Describe(object answer) => answer switch
    {
        ServerMessage { Error: { } error } => $"Error {error.Code}",
        ServerMessage message => message.BodyCase.ToString(),
        System.Text.Json.JsonElement data => data.ToString(),
        Exception e => $"{e.GetType().Name}: {e.Message}",
        _ => answer.ToString() ?? string.Empty,
    };

    private async Task<string> DrainAsync(NodeSlot drained)
    {
        await _cluster.DrainNodeAsync(drained);
        await ServedAsync($"drain of node{drained.Index}");
        return await RestartAsync(drained);
    }

    /// <summary>
    /// The operator's move of a live sector, with a fault at its awkward moment: the busiest
    /// sector is moved to another node, and once the coordinator starts the hand-off (at once, or
    /// up to a second later while the sector snapshots, stops or recovers on its new node) the
    /// node it leaves or the node it goes to is killed or drained. A node that stays up carries
    /// the operator's command. The pin must hold through the fault: once the node is back, the
    /// sector runs on the node it was moved to. Then it is unpinned, so later rounds start free.
    /// </summary>
    private async Task<string> FaultDuringMoveAsync(bool drain)
    {
        var running = _cluster.Running.ToList();
        var sectors = await OpsProbe.SectorsAsync(running[0].OpsPort, TimeSpan.FromSeconds(15));
        var busiest = sectors.OrderByDescending(s => s.Players).ThenBy(s => s.Sector, StringComparer.Ordinal).First();
        var source = running.Single(n => busiest.Node.EndsWith($":{n.AkkaPort}", StringComparison.Ordinal));
        var target = Pick(running.Where(n => n != source).ToList());
        // Each kind's first round takes down the node the sector goes to (it recovers there as that
        // node dies or leaves), the next the node it leaves (it snapshots there), and so on: the
        // short run covers the first, a soak both, whatever the seed.
        var occurrence = _moveFaults[drain] = _moveFaults.GetValueOrDefault(drain) + 1;
        var victim = occurrence % 2 == 1 ? target : source;
        var asker = running.First(n => n != source && n != target);
        var role = victim == source ? "the node it leaves" : "the node it goes to";

        bool HandOff(string line) => SectorsHandedOff(line).Contains(busiest.Sector);
        var handOffs = _cluster.CountLines(HandOff);
        var move = AnswerOrFailureAsync(OpsProbe.AskAsync(asker.OpsPort, TimeSpan.FromSeconds(30), "game", "sector", "move", busiest.Sector, target.Address));
        var deadline = Stopwatch.StartNew();
        while (_cluster.CountLines(HandOff) == handOffs && deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        // A move the coordinator never starts would leave this round testing a plain fault.
        Assert.True(_cluster.CountLines(HandOff) > handOffs, $"no hand-off of {busiest.Sector} within 15 s of 'game sector move {busiest.Sector} {target.Address}' (answer: {(move.IsCompleted ? Describe(await move) : "none yet")})");
        var delay = _random.Next(0, 1000);
        await Task.Delay(TimeSpan.FromMilliseconds(delay));
        var what = $"{busiest.Sector} ({busiest.Players} players) moved node{source.Index} -> node{target.Index}; {(drain ? "drained" : "killed")} {role}, node{victim.Index}, {delay} ms after its hand-off began";
        _log("  " + what);
        if (drain)
        {
            await _cluster.DrainNodeAsync(victim);
        }
        else
        {
            await _cluster.KillNodeAsync(victim);
        }

        await ServedAsync($"the {(drain ? "drain" : "kill")} of node{victim.Index} during a move");
        var answer = await move;
        _log($"  the move command answered: {Describe(answer)}");
        var restart = await RestartAsync(victim);

        // The pin outlives the fault: the sector ends up where the operator moved it. Its
        // players may have jumped away meanwhile, and an empty sector that was handed off runs
        // nowhere until something asks for it: so ask for it (`game sector ID` goes through
        // sharding and starts it where allocation places it), then see where it runs.
        var arrived = Stopwatch.StartNew();
        while (!await StartedOnAsync(asker, busiest.Sector, target))
        {
            Assert.True(arrived.Elapsed < TimeSpan.FromSeconds(45), $"{busiest.Sector} was moved to node{target.Index} and is not running there 45 s after node{victim.Index} came back:\n{_cluster.Tails()}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        await ServedAsync($"{busiest.Sector} arriving on node{target.Index}");
        await OpsProbe.AskAsync(asker.OpsPort, TimeSpan.FromSeconds(15), "game", "sector", "unpin", busiest.Sector);
        return $"{what}; {restart}; {busiest.Sector} on node{target.Index} {arrived.Elapsed.TotalSeconds:0.0} s after that, then unpinned";
    }

    /// <summary>The sectors whose hand-off the coordinator starts on this log line ("sector: Starting rebalance for shards [s-1-2, s-0-3]. ..."), or none.</summary>
    private static string[] SectorsHandedOff(string line)
    {
        const string Marker = "sector: Starting rebalance for shards [";
        var start = line.IndexOf(Marker, StringComparison.Ordinal);
        var end = start < 0 ? -1 : line.IndexOf(']', start);
        return end < 0 ? [] : line[(start + Marker.Length)..end].Split(", ");
    }

    /// <summary>Asks for the sector (which starts it if it runs nowhere), then whether it runs on the node.</summary>
    private static async Task<bool> StartedOnAsync(NodeSlot asker, string sector, NodeSlot node)
    {
        try
        {
            await OpsProbe.AskAsync(asker.OpsPort, TimeSpan.FromSeconds(15), "game", "sector", sector);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return false;
        }

        return await RunsOnAsync(asker, sector, node);
    }

    /// <summary>Whether the sector runs on the node, as another node's <c>game sectors</c> says; false while that cannot answer.</summary>
    private static async Task<bool> RunsOnAsync(NodeSlot asker, string sector, NodeSlot node)
    {
        try
        {
            return (await OpsProbe.SectorsAsync(asker.OpsPort, TimeSpan.FromSeconds(15))).Any(s => s.Sector == sector && s.Node.EndsWith($":{node.AkkaPort}", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private async Task<string> LighthouseKillAsync()
    {
        await _cluster.KillLighthouseAsync();
        await Task.Delay(TimeSpan.FromSeconds(_random.Next(2, 6)));
        await _cluster.StartLighthouseAsync();
        return "lighthouse restarted";
    }

    /// <summary>
    /// Restarts a node on its old ports and measures how long until it is Up and hosts shards.
    /// The round's first restart ends its fault phase (unless the restart is part of the fault,
    /// as in a kill during the rebalance toward it): the waits so far are the fault's, and the
    /// players' longest waits start again for the restart phase.
    /// </summary>
    private async Task<string> RestartAsync(NodeSlot node, bool endsFault = true)
    {
        if (endsFault && _faultPhaseGaps is null)
        {
            _faultPhaseGaps = _players.Select(p => p.LongestGap.TotalSeconds).ToList();
            _faultPhaseWorst = WorstPlayer();
            var now = DateTime.UtcNow;
            foreach (var player in _players)
            {
                player.Mark(now);
            }
        }

        var started = Stopwatch.StartNew();
        await _cluster.StartNodeAsync(node);
        await ClusterHarness.WaitHostingAsync(node, TimeSpan.FromSeconds(60));
        var seconds = started.Elapsed.TotalSeconds;
        _restartToHosting.Add(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"node{node.Index} restarted: Up and hosting shards after {seconds:0.0} s");
    }

    private string WorstPlayer()
    {
        var worst = _players.OrderByDescending(p => p.LongestGap).First();
        return $"{worst.PlayerId} ({worst.Describe()})";
    }

    private void MarkAll()
    {
        var now = DateTime.UtcNow;
        foreach (var player in _players)
        {
            player.Mark(now, resetGap: false);
        }
    }

    private async Task ServedAsync(string what)
    {
        MarkAll();
        var deadline = Stopwatch.StartNew();
        while (!_players.All(p => p.ServedAfterMark is not null))
        {
            if (deadline.Elapsed > ServeTimeout)
            {
                _log("  not served: " + string.Join(", ", _players.Where(p => p.ServedAfterMark is null).Select(p => $"{p.PlayerId} ({p.Describe()})")));
                _log(_cluster.Tails());
                throw new TimeoutException($"not every player's sector served within {ServeTimeout.TotalSeconds:0} s after {what}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private async Task ConvergedAsync()
    {
        var took = await _cluster.WaitConvergedAsync(TimeSpan.FromSeconds(60));
        _log($"  cluster converged: every member Up and reachable in every view ({took.TotalSeconds:0.0} s)");
    }

    /// <summary>Everything acknowledged so far is stored and still shown; no entity had two writers.</summary>
    private async Task AuditAsync()
    {
        // What was acknowledged is taken before the journal is read: an ack that arrives during
        // the read may be for an event the read did not see yet.
        var acked = _players.Select(p => (Player: p, Balances: p.AckedBalances, Chats: p.AckedChats)).ToList();
        var audit = await JournalAudit.ReadAsync(_cluster.ConnectionString);
        _eventsRead = audit.EventsRead;
        _twoWriterEntities = audit.EntitiesWithTwoWriters.Count;
        Assert.True(_audit.Violations.Count == 0, "clients saw: " + string.Join("\n", _audit.Violations));
        Assert.True(audit.EntitiesWithTwoWriters.Count == 0, "two writers: " + string.Join("; ", audit.EntitiesWithTwoWriters) + "\n" + string.Join("\n", _cluster.StoreWarnings()));
        var checkedNow = 0;
        foreach (var (player, balances, chats) in acked)
        {
            var stored = audit.BalanceHistory(player.PlayerId).ToHashSet();
            foreach (var balance in balances)
            {
                Assert.True(stored.Contains(balance), $"{player.PlayerId}: acknowledged balance {balance} is not stored (stored: {string.Join(",", stored.Order())})");
                checkedNow++;
            }

            if (balances.Count > 0)
            {
                // Each acknowledged Credits is its own mine of MineAmount: the stored balance holds
                // at least that many, whatever order they came in.
                var final = audit.FinalBalance(player.PlayerId);
                Assert.True(final >= balances.Max(), $"{player.PlayerId}: stored balance {final} is below the acknowledged {balances.Max()}");
                Assert.True(final >= MineAmount * balances.Count, $"{player.PlayerId}: stored balance {final} holds fewer than the {balances.Count} acknowledged mines of {MineAmount}");
            }

            foreach (var chat in chats)
            {
                Assert.True(audit.HasChat(chat), $"{player.PlayerId}: acknowledged chat {chat} is not in {chat.SectorId}'s history");
                checkedNow++;
            }
        }

        _checkedOps = Math.Max(_checkedOps, checkedNow);
        _log($"  audit: {checkedNow} acknowledged operations stored and none contradicted by a later answer; {audit.EventsRead} events read; no entity with two writers");
    }

    private static async Task<Welcome> ConnectWithRetriesAsync(GameClient client)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await client.ConnectAsync();
            }
            catch (Exception e) when (attempt < 20 && e is IOException or TimeoutException or System.Net.Sockets.SocketException or GameErrorException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private NodeSlot Pick(List<NodeSlot> nodes) => nodes[_random.Next(nodes.Count)];

    private static string Stats(List<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return "n/a";
        }

        var sorted = seconds.Order().ToList();
        double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"{sorted[0]:0.00}/{At(0.5):0.00}/{At(0.9):0.00}/{sorted[^1]:0.00} (n={sorted.Count})");
    }
}

/// <summary>One round: the longest and the affected players' waits in the fault phase and, when a node was restarted, after the restart.</summary>
public sealed record RoundResult(int Number, FaultKind Kind, double Worst, IReadOnlyList<double> Affected, double? RestartWorst, IReadOnlyList<double> RestartAffected, string Notes)
{
    public double Longest => Math.Max(Worst, RestartWorst ?? 0);
}
