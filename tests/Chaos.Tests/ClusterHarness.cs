using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using AkkaGame.Node.Hosting;
using AkkaGame.TestSupport;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// A whole cluster as real processes on loopback: a private PostgreSQL (scripts/postgres.sh),
/// the lighthouse and game nodes, each on fixed ports so it can be restarted in place.
/// </summary>
public sealed class ClusterHarness : IAsyncDisposable
{
    public const string Secret = "chaos-test-shared-secret-0123456789";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "akkagame-chaos", Guid.NewGuid().ToString("N")[..8]);
    private readonly int _pgPort = ManagedProcess.FreePort();
    private readonly int _lighthousePort = ManagedProcess.FreePort();
    private readonly Action<string> _log;
    private ManagedProcess? _lighthouse;

    public ClusterHarness(int nodeCount, Action<string> log)
    {
        _log = log;
        Nodes = Enumerable.Range(0, nodeCount)
            .Select(i => new NodeSlot(i, ManagedProcess.FreePort(), ManagedProcess.FreePort(), ManagedProcess.FreePort()))
            .ToList();
    }

    public IReadOnlyList<NodeSlot> Nodes { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={_pgPort};Username=akkagame;Database=akkagame;Pooling=true;Maximum Pool Size=50";

    public IReadOnlyList<string> GameEndpoints => Nodes.Select(n => $"127.0.0.1:{n.GamePort}").ToList();

    public string LighthouseAddress => $"akka.tcp://akkagame@127.0.0.1:{_lighthousePort}";

    public IReadOnlyList<string> ExpectedMembers => [LighthouseAddress, .. Nodes.Select(n => n.Address)];

    public bool LighthouseRunning => _lighthouse is { HasExited: false };

    /// <summary>Every member is a seed, lighthouse first: a restarted lighthouse or node finds the running cluster.</summary>
    private string Seeds => string.Join(',', ExpectedMembers);

    public async Task StartAsync()
    {
        Directory.CreateDirectory(_workDir);
        await File.WriteAllTextAsync(Path.Combine(_workDir, "chaos.conf"), """
            # Faster ships so bots reach asteroids and gates within a round.
            akkagame.world.ship-speed = 1000
            """);
        await PostgresAsync("start");
        await StartLighthouseAsync();
        foreach (var node in Nodes)
        {
            // One at a time: node 0 is the oldest game node, so it hosts the shard coordinators.
            await StartNodeAsync(node);
        }
    }

    public async Task StartLighthouseAsync()
    {
        // Ops port 0: any free port, so a developer's own cluster on 9110 does not collide.
        string[] args = ["--akka-host", "127.0.0.1", "--akka-port", Port(_lighthousePort), "--seeds", Seeds, "--ops-port", "0"];
        _lighthouse = await ManagedProcess.StartAsync("Lighthouse", "AkkaGame.Lighthouse.dll", "AkkaGame lighthouse ready", args, StartTimeout);
        _log($"lighthouse up (pid {_lighthouse.Pid})");
    }

    public async Task KillLighthouseAsync()
    {
        if (_lighthouse is not null)
        {
            await _lighthouse.DisposeAsync();
            _log("lighthouse killed (kill -9)");
        }
    }

    public async Task StartNodeAsync(NodeSlot node)
    {
        var args = new List<string>
        {
            "--akka-host", "127.0.0.1", "--akka-port", Port(node.AkkaPort), "--seeds", Seeds,
            "--game-host", "127.0.0.1", "--game-port", Port(node.GamePort),
            "--db-provider", "postgres", "--db", ConnectionString,
            "--auth-secret", Secret, "--data-dir", Path.Combine(_workDir, $"node{node.Index}"),
            "--config", Path.Combine(_workDir, "chaos.conf"),
        };
        if (NodeOptions.Known.ContainsKey("ops-port"))
        {
            args.AddRange(["--ops-port", Port(node.OpsPort)]);
        }

        node.Process = await ManagedProcess.StartAsync("Node", "AkkaGame.Node.dll", "AkkaGame node ready", args, StartTimeout);
        _log($"node{node.Index} up (pid {node.Process.Pid}, game port {node.GamePort})");
    }

    public async Task KillNodeAsync(NodeSlot node)
    {
        if (node.Process is not null)
        {
            await node.Process.DisposeAsync();
            node.Process = null;
            _log($"node{node.Index} killed (kill -9)");
        }
    }

    /// <summary>SIGTERM: the node drains clients, hands off sectors and leaves. Returns how long it took.</summary>
    public async Task<TimeSpan> DrainNodeAsync(NodeSlot node)
    {
        var started = Stopwatch.GetTimestamp();
        if (node.Process is not null)
        {
            var clean = await node.Process.TerminateAsync(TimeSpan.FromSeconds(60));
            _log($"node{node.Index} drained (SIGTERM){(clean ? string.Empty : " - did not exit in 60 s, killed")}");
            await node.Process.DisposeAsync();
            node.Process = null;
        }

        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Membership and sharding milestones the running processes logged, to explain a failover time.</summary>
    public IReadOnlyList<string> Milestones()
    {
        string[] keys = ["Marking node", "SBR", "Leader is removing", "state change", "ShardCoordinator was moved to the active state", "is JOINING", "to [Up]"];
        return Nodes.Where(n => n.Process is not null)
            .SelectMany(n => n.Process!.Lines(l => keys.Any(k => l.Contains(k, StringComparison.Ordinal))).Select(l => $"node{n.Index}: {l}"))
            .ToList();
    }

    /// <summary>
    /// Waits (bounded) until every running node sees exactly the expected members, all Up and
    /// reachable; returns how long that took. Without the ops endpoint it cannot look and says so.
    /// </summary>
    public async Task<TimeSpan> WaitConvergedAsync(TimeSpan timeout)
    {
        var started = Stopwatch.GetTimestamp();
        var expected = ExpectedMembers.Order(StringComparer.Ordinal).ToList();
        string last = "no answer yet";
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            var views = new List<string>();
            foreach (var node in Nodes.Where(n => n.Process is not null))
            {
                try
                {
                    var members = await OpsProbe.MembersAsync(node.OpsPort, TimeSpan.FromSeconds(5));
                    var up = members.Where(m => m.Status == "Up" && m.Reachable).Select(m => m.Address).Order(StringComparer.Ordinal).ToList();
                    views.Add(up.SequenceEqual(expected) && members.Count == expected.Count ? "ok" : $"node{node.Index} sees {string.Join(", ", members.Select(m => $"{m.Address} {m.Status}{(m.Reachable ? string.Empty : " UNREACHABLE")}"))}");
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or InvalidOperationException)
                {
                    views.Add($"node{node.Index}: {e.Message}");
                }
            }

            if (views.All(v => v == "ok"))
            {
                return Stopwatch.GetElapsedTime(started);
            }

            last = string.Join("; ", views.Where(v => v != "ok"));
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new TimeoutException($"the cluster did not converge to {string.Join(", ", expected)} within {timeout.TotalSeconds:0} s: {last}");
    }

    public string Tails() => string.Join("\n", Nodes.Where(n => n.Process is not null).Select(n => $"--- node{n.Index} ---\n{n.Process!.Tail(40)}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await KillNodeAsync(node);
        }

        await KillLighthouseAsync();
        await PostgresAsync("destroy");
        try
        {
            Directory.Delete(_workDir, recursive: true);
        }
        catch (IOException e)
        {
            _log($"could not delete {_workDir}: {e.Message}");
        }
    }

    private async Task PostgresAsync(string verb)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "postgres.sh"));
        info.ArgumentList.Add(verb);
        info.Environment["AKKAGAME_PG_PORT"] = Port(_pgPort);
        info.Environment["AKKAGAME_PG_DIR"] = Path.Combine(_workDir, "pg");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postgres.sh {verb} failed: {await stdout}{await stderr}");
        }
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
    public ManagedProcess? Process { get; set; }
}
