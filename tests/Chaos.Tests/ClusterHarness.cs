using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using AkkaGame.TestSupport;

namespace AkkaGame.Chaos.Tests;

/// <summary>How game nodes find the cluster.</summary>
public enum SeedMode
{
    /// <summary>The usual Lighthouse deployment: every game node names only the lighthouse; the lighthouse names itself.</summary>
    LighthouseOnly,

    /// <summary>Every member names every other, lighthouse first.</summary>
    AllMembers,
}

/// <summary>
/// A whole cluster as real processes on loopback: a private PostgreSQL (scripts/postgres.sh),
/// the lighthouse and game nodes, each on fixed ports so it can be restarted in place, with the
/// faults the chaos tests need (kill -9, SIGTERM, SIGSTOP/SIGCONT) and the operator endpoint's
/// view of membership and shards.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    public const string Secret = "chaos-test-shared-secret-0123456789";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "akkagame-chaos", Guid.NewGuid().ToString("N")[..8]);
    private readonly int _lighthousePort = ManagedProcess.FreePort();
    private readonly int _lighthouseOpsPort = ManagedProcess.FreePort();
    private readonly Action<string> _log;
    private readonly SeedMode _seeds;
    private ManagedProcess? _lighthouse;
    private PrivatePostgres? _postgres;
    private long _starts;

    public ClusterHarness(int nodeCount, SeedMode seeds, Action<string> log)
    {
        _log = log;
        _seeds = seeds;
        Nodes = Enumerable.Range(0, nodeCount)
            .Select(i => new NodeSlot(i, ManagedProcess.FreePort(), ManagedProcess.FreePort(), ManagedProcess.FreePort()))
            .ToList();
    }

    public IReadOnlyList<NodeSlot> Nodes { get; }

    /// <summary>Every process's whole output, one file per process (TestResults/chaos-logs/RUN), kept after the run.</summary>
    public string LogDirectory { get; } = Path.Combine(Repository.Root, "TestResults", "chaos-logs", DateTime.UtcNow.ToString("yyyyMMddTHHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..4]);

    public IEnumerable<NodeSlot> Running => Nodes.Where(n => n.Process is { HasExited: false } && !n.Frozen);

    public string ConnectionString => _postgres?.ConnectionString ?? throw new InvalidOperationException("not started");

    public IReadOnlyList<string> GameEndpoints => Nodes.Select(n => n.Endpoint).ToList();

    public string LighthouseAddress => $"akka.tcp://akkagame@127.0.0.1:{_lighthousePort}";

    public IReadOnlyList<string> ExpectedMembers => [LighthouseAddress, .. Nodes.Select(n => n.Address)];

    /// <summary>The oldest running game node: the one that hosts the shard coordinators.</summary>
    public NodeSlot Oldest => Running.OrderBy(n => n.StartOrder).First();

    private string NodeSeeds => _seeds == SeedMode.LighthouseOnly ? LighthouseAddress : string.Join(',', ExpectedMembers);

    private string LighthouseSeeds => _seeds == SeedMode.LighthouseOnly ? LighthouseAddress : string.Join(',', ExpectedMembers);

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_workDir);
        await File.WriteAllTextAsync(Path.Combine(_workDir, "chaos.conf"), """
            # Faster ships so players reach asteroids and gates within a round.
            akkagame.world.ship-speed = 1000

            """ + Environment.GetEnvironmentVariable("AKKAGAME_CHAOS_NODE_CONFIG"));
        _postgres = await PrivatePostgres.StartAsync(Path.Combine(_workDir, "pg"));
        await StartLighthouseAsync();
        foreach (var node in Nodes)
        {
            // One at a time: node 0 is the oldest game node, so it hosts the shard coordinators.
            await StartNodeAsync(node);
        }
    }

    public async Task StartLighthouseAsync()
    {
        string[] args =
        [
            "--akka-host", "127.0.0.1", "--akka-port", Port(_lighthousePort), "--seeds", LighthouseSeeds,
            "--ops-port", Port(_lighthouseOpsPort), "--http-port", "0", "--data-dir", Path.Combine(_workDir, "lighthouse"),
        ];
        _lighthouse = ManagedProcess.Start("Lighthouse", "AkkaGame.Lighthouse.dll", "AkkaGame lighthouse ready", args);
        _lighthouse.KeepLog(Path.Combine(LogDirectory, $"lighthouse-{_lighthouse.Pid}.log"));
        await _lighthouse.WaitReadyAsync(StartTimeout);
        _log($"lighthouse up (pid {_lighthouse.Pid})");
    }

    public async Task KillLighthouseAsync()
    {
        if (_lighthouse is not null)
        {
            await _lighthouse.DisposeAsync();
            _lighthouse = null;
            _log("lighthouse killed (kill -9)");
        }
    }

    public async Task StartNodeAsync(NodeSlot node)
    {
        var args = new List<string>
        {
            "--akka-host", "127.0.0.1", "--akka-port", Port(node.AkkaPort), "--seeds", NodeSeeds,
            "--game-host", "127.0.0.1", "--game-port", Port(node.GamePort),
            "--db-provider", "postgres", "--db", ConnectionString,
            "--auth-secret", Secret, "--allow-guests", "true", "--data-dir", Path.Combine(_workDir, $"node{node.Index}"),
            "--config", Path.Combine(_workDir, "chaos.conf"), "--ops-port", Port(node.OpsPort), "--http-port", "0", "--ws-port", "0",
        };
        node.Frozen = false;
        node.StartOrder = Interlocked.Increment(ref _starts);
        node.Process = ManagedProcess.Start("Node", "AkkaGame.Node.dll", "AkkaGame node ready", args);
        node.Process.KeepLog(Path.Combine(LogDirectory, $"node{node.Index}-{node.Process.Pid}.log"));
        await node.Process.WaitReadyAsync(StartTimeout);
        _log($"node{node.Index} up (pid {node.Process.Pid}, game port {node.GamePort})");
    }

    public async Task KillNodeAsync(NodeSlot node)
    {
        if (node.Process is not null)
        {
            await node.Process.DisposeAsync();
            node.Process = null;
            node.Frozen = false;
            _log($"node{node.Index} killed (kill -9)");
        }
    }

    /// <summary>SIGTERM and wait (bounded) until the node drained, handed off and exited.</summary>
    public async Task DrainNodeAsync(NodeSlot node)
    {
        if (node.Process is not null)
        {
            var clean = await node.Process.TerminateAsync(TimeSpan.FromSeconds(60));
            _log($"node{node.Index} drained (SIGTERM){(clean ? string.Empty : " - did not exit in 60 s, killed")}");
            await node.Process.DisposeAsync();
            node.Process = null;
        }
    }

    /// <summary>SIGTERM only: the node starts draining; the caller decides what happens meanwhile.</summary>
    public async Task BeginDrainAsync(NodeSlot node)
    {
        await SignalAsync(node, "TERM");
        _log($"node{node.Index} SIGTERM (draining)");
    }

    public async Task FreezeAsync(NodeSlot node)
    {
        await SignalAsync(node, "STOP");
        node.Frozen = true;
        _log($"node{node.Index} frozen (SIGSTOP)");
    }

    public async Task ThawAsync(NodeSlot node)
    {
        await SignalAsync(node, "CONT");
        node.Frozen = false;
        _log($"node{node.Index} woken (SIGCONT)");
    }

    /// <summary>Forgets a process that ended by itself (a downed zombie that shut down).</summary>
    public static async Task ReapAsync(NodeSlot node)
    {
        if (node.Process is not null)
        {
            await node.Process.DisposeAsync();
            node.Process = null;
        }
    }

    /// <summary>How many lines a node's process printed that contain <paramref name="text"/> (a cursor for "did it log this since").</summary>
    public int CountLines(string text) => CountLines(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>How many lines the running nodes printed that match.</summary>
    public int CountLines(Func<string, bool> match) =>
        Nodes.Where(n => n.Process is not null).Sum(n => n.Process!.Lines(match).Count);

    /// <summary>Membership and sharding milestones the running processes logged, to explain a failover time.</summary>
    public IReadOnlyList<string> Milestones(DateTime since)
    {
        string[] keys = ["Marking node", "SBR", "Leader is removing", "state change", "ShardCoordinator was moved to the active state", "is JOINING", "to [Up]", "rebalance", "deallocation", "Downing", "stalled"];
        return Nodes.Where(n => n.Process is not null)
            .SelectMany(n => n.Process!.Lines(l => keys.Any(k => l.Contains(k, StringComparison.Ordinal)) && LoggedAfter(l, since)).Select(l => $"node{n.Index}: {l}"))
            .ToList();
    }

    /// <summary>How many lines of every process this run started (the files in <see cref="LogDirectory"/>) contain <paramref name="text"/>.</summary>
    public int CountInLogs(string text)
    {
        if (!Directory.Exists(LogDirectory))
        {
            return 0;
        }

        var count = 0;
        foreach (var file in Directory.EnumerateFiles(LogDirectory, "*.log"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Lines of every process (nodes and lighthouse) that warn of two writers or refused writes.</summary>
    public IReadOnlyList<string> StoreWarnings() =>
        Nodes.Where(n => n.Process is not null)
            .SelectMany(n => n.Process!.Lines(l => l.Contains("Invalid replayed event", StringComparison.Ordinal) || l.Contains("Rejected to persist", StringComparison.Ordinal) || l.Contains("Failed to persist", StringComparison.Ordinal)).Select(l => $"node{n.Index}: {l}"))
            .ToList();

    /// <summary>
    /// Waits (bounded) until every running node and the lighthouse see exactly the expected
    /// members, all Up and reachable; returns how long that took.
    /// </summary>
    public async Task<TimeSpan> WaitConvergedAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var expected = Running.Select(n => n.Address).Append(LighthouseAddress).Order(StringComparer.Ordinal).ToList();
        var last = "no answer yet";
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var views = new List<string>();
            foreach (var (name, port) in Running.Select(n => ($"node{n.Index}", n.OpsPort)).Append(("lighthouse", _lighthouseOpsPort)))
            {
                try
                {
                    var members = await OpsProbe.MembersAsync(port, TimeSpan.FromSeconds(5));
                    var up = members.Where(m => m.Status == "Up" && m.Reachable).Select(m => m.Address).Order(StringComparer.Ordinal).ToList();
                    views.Add(up.SequenceEqual(expected) && members.Count == expected.Count ? "ok" : $"{name} sees {string.Join(", ", members.Select(m => $"{m.Address} {m.Status}{(m.Reachable ? string.Empty : " UNREACHABLE")}"))}");
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidOperationException)
                {
                    views.Add($"{name}: {e.Message}");
                }
            }

            if (views.All(v => v == "ok"))
            {
                return Stopwatch.GetElapsedTime(started);
            }

            last = string.Join("; ", views.Where(v => v != "ok"));
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"the cluster did not converge to {string.Join(", ", expected)} within {timeout.TotalSeconds:0} s: {last}");
    }

    /// <summary>Waits (bounded) until no running node lists <paramref name="node"/>'s address any more; returns how long that took.</summary>
    public async Task<TimeSpan> WaitRemovedAsync(NodeSlot node, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var listed = false;
            foreach (var other in Running.Where(n => n != node))
            {
                try
                {
                    var members = await OpsProbe.MembersAsync(other.OpsPort, TimeSpan.FromSeconds(5));
                    listed |= members.Any(m => m.Address == node.Address);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidOperationException)
                {
                    listed = true;
                }
            }

            if (!listed)
            {
                return Stopwatch.GetElapsedTime(started);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"node{node.Index} was still a member {timeout.TotalSeconds:0} s later");
    }

    /// <summary>Waits (bounded) until the node is Up in its own view and hosts at least one shard; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitHostingAsync(NodeSlot node, TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            try
            {
                var regions = await OpsProbe.AskAsync(node.OpsPort, TimeSpan.FromSeconds(5), "cluster", "sharding", "regions");
                if (regions.EnumerateArray().Any(r => r.GetProperty("localShards").GetInt32() > 0))
                {
                    return Stopwatch.GetElapsedTime(started);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidOperationException or KeyNotFoundException or JsonException)
            {
                // Not answering yet: ask again.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"node{node.Index} hosted no shard {timeout.TotalSeconds:0} s after it started");
    }

    public string Tails() => string.Join("\n", Nodes.Where(n => n.Process is not null).Select(n => $"--- node{n.Index} ---\n{n.Process!.Tail(40)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            if (node.Frozen)
            {
                await SignalAsync(node, "CONT");
            }

            await KillNodeAsync(node);
        }

        await KillLighthouseAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException e)
        {
            _log($"could not delete {_workDir}: {e.Message}");
        }
    }

    private static async Task SignalAsync(NodeSlot node, string signal)
    {
        if (node.Process is null)
        {
            return;
        }

        using var kill = Process.Start("kill", [$"-{signal}", node.Process.Pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Akka's log lines carry a UTC time stamp ("[12/01/2026 21:37:15.996Z]"); lines without one count as recent.</summary>
    private static bool LoggedAfter(string line, DateTime since)
    {
        var open = line.IndexOf("][", StringComparison.Ordinal);
        var end = open < 0 ? -1 : line.IndexOf('Z', open);
        if (open < 0 || end < 0)
        {
            return true;
        }

        return !DateTime.TryParseExact(line[(open + 2)..end], "MM/dd/yyyy HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) || at >= since;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}

public sealed class NodeSlot(int index, int gamePort, int akkaPort, int opsPort)
{
    public int Index { get; } = index;
    public int GamePort { get; } = gamePort;
    public int AkkaPort { get; } = akkaPort;
    public int OpsPort { get; } = opsPort;
    public string Address => $"akka.tcp://akkagame@127.0.0.1:{AkkaPort}";
    public string Endpoint => $"127.0.0.1:{GamePort}";
    public ManagedProcess? Process { get; set; }
    public bool Frozen { get; set; }

    /// <summary>Increases with every start: the running node with the lowest is the oldest member.</summary>
    public long StartOrder { get; set; }
}
