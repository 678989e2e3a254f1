using Akka.Actor;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Sessions;

namespace AkkaGame.Node.Monitoring;

/// <summary>Asks a game node's <see cref="NodeMonitor"/> for its load; answered with <see cref="NodeLoad"/>.</summary>
public sealed record GetNodeLoad : IGameMessage
{
    public static readonly GetNodeLoad Instance = new();
}

/// <summary>One game node's load: its connections, its traffic over the last second, its sectors.</summary>
public sealed record NodeLoad(
    string Node,
    long Connections,
    double MessagesInPerSecond,
    double MessagesOutPerSecond,
    double BytesInPerSecond,
    double BytesOutPerSecond,
    double LoginsPerSecond,
    IReadOnlyList<SectorLoad> Sectors) : IGameMessage;

/// <summary>
/// One per game node, at /user/node-monitor: samples the gateway's counters every second into
/// rates and answers <see cref="GetNodeLoad"/> from them and <see cref="SectorLoads"/>, so the
/// dashboard of any node can show every node without waking a sector.
/// </summary>
public sealed class NodeMonitor : ReceiveActor, IWithTimers
{
    public const string Name = "node-monitor";

    private readonly GatewayMetrics _gateway;
    private readonly SectorLoads _sectors;
    private readonly string _node;
    private Counts _last;
    private NodeLoad? _rates;

    public NodeMonitor()
    {
        _gateway = NodeMetrics.Get(Context.System).Gateway;
        _sectors = SectorLoads.Get(Context.System);
        _node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        _last = Read();
        Receive<Sample>(_ => Resample());
        Receive<GetNodeLoad>(_ => Sender.Tell((_rates ?? new NodeLoad(_node, 0, 0, 0, 0, 0, 0, [])) with
        {
            Connections = _gateway.Connections,
            Sectors = _sectors.All(),
        }));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new NodeMonitor());

    protected override void PreStart() => Timers.StartPeriodicTimer(nameof(Sample), Sample.Instance, TimeSpan.FromSeconds(1));

    private Counts Read() => new(_gateway.MessagesIn, _gateway.MessagesOut, _gateway.BytesIn, _gateway.BytesOut, _gateway.Logins, Environment.TickCount64);

    private void Resample()
    {
        var now = Read();
        var seconds = Math.Max(0.001, (now.AtMs - _last.AtMs) / 1000.0);
        _rates = new NodeLoad(
            _node,
            _gateway.Connections,
            (now.In - _last.In) / seconds,
            (now.Out - _last.Out) / seconds,
            (now.BytesIn - _last.BytesIn) / seconds,
            (now.BytesOut - _last.BytesOut) / seconds,
            (now.Logins - _last.Logins) / seconds,
            []);
        _last = now;
    }

    private readonly record struct Counts(long In, long Out, long BytesIn, long BytesOut, long Logins, long AtMs);

    private sealed class Sample
    {
        public static readonly Sample Instance = new();
    }
}
