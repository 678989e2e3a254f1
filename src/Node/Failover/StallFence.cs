using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace AkkaGame.Node.Failover;

/// <summary>
/// The node's guard against acting as a zombie. A process that was frozen (SIGSTOP, a paused
/// VM, a very long GC pause) for longer than the failure detector tolerates may have been
/// declared dead meanwhile, and its sectors and players may already run on another node. When
/// it wakes, the first thing it does must not be to acknowledge a write from stale memory.
/// A dedicated thread notes the time every 100 ms; a gap of more than <see cref="Threshold"/>
/// latches the fence: from then on <see cref="MayAcknowledge"/> is false, and the node downs
/// itself so its entities run only where the cluster put them. A callback that runs before the
/// thread has noticed sees the stale beat and is refused as well. The clock is the monotonic
/// one, which does not count a host's own suspend-to-RAM; a suspended host is not detected.
/// </summary>
public sealed class StallFence : IExtension, IDisposable
{
    private static readonly TimeSpan Beat = TimeSpan.FromMilliseconds(100);

    private readonly ActorSystem _system;
    private readonly object _gate = new();
    private Thread? _thread;
    private readonly CancellationTokenSource _stop = new();
    private long _lastBeat = Stopwatch.GetTimestamp();
    private volatile bool _fenced;

    public StallFence(ActorSystem system, TimeSpan threshold)
    {
        _system = system;
        Threshold = threshold;
        system.RegisterOnTermination(Dispose);
    }

    /// <summary>
    /// Starts watching. Only a node of a multi-node cluster arms the fence: a single node has no
    /// one to take its entities over, so a stall there is only a delay.
    /// </summary>
    public void Arm()
    {
        lock (_gate)
        {
            if (_thread is not null)
            {
                return;
            }

            Interlocked.Exchange(ref _lastBeat, Stopwatch.GetTimestamp());
            _thread = new Thread(Run) { IsBackground = true, Name = "akkagame-stall-fence" };
            _thread.Start();
            if (_system is ExtendedActorSystem extended && _system.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal))
            {
                extended.SystemActorOf(Props.Create(() => new DownedWatcher(this)), "stall-fence-downed");
            }
        }
    }

    /// <summary>
    /// Latches the fence without a stall: this node learned it was downed (its own split brain
    /// resolver's decision on the minority side of a partition, or another member's). From that
    /// moment its entities acknowledge nothing, however long its shutdown takes; the removal
    /// margin the others wait before they restart those entities only has to cover the skew
    /// between the two sides' decisions, not this node's shutdown.
    /// </summary>
    public void Latch(string why)
    {
        if (!_fenced)
        {
            _fenced = true;
            _system.Log.Warning("This node acknowledges nothing from now on: {0}", why);
        }
    }

    public bool Armed => Volatile.Read(ref _thread) is not null;

    /// <summary>A pause longer than this may have let the cluster declare this node dead (akkagame.failover.stall-threshold).</summary>
    public TimeSpan Threshold { get; }

    /// <summary>True while this process has never stalled past the threshold: only then may an entity acknowledge a write or answer from its state.</summary>
    public bool MayAcknowledge
    {
        get
        {
            if (!Armed)
            {
                return true;
            }

            // The beat first, then the latch: the watchdog sets the latch before it publishes a
            // fresh beat, so a caller that sees the fresh beat also sees the latch.
            var beat = Interlocked.Read(ref _lastBeat);
            return !_fenced && Stopwatch.GetElapsedTime(beat) < Threshold;
        }
    }

    /// <summary>True once the fence latched (a stall, or this node was marked down).</summary>
    public bool Fenced => _fenced;

    public static StallFence Get(ActorSystem system) => system.WithExtension<StallFence, StallFenceProvider>();

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested)
        {
            _stop.Cancel();
        }
    }

    private void Run()
    {
        while (!_stop.Token.WaitHandle.WaitOne(Beat))
        {
            Observe(Stopwatch.GetTimestamp());
        }
    }

    /// <summary>One beat of the watchdog at <paramref name="now"/> (a Stopwatch timestamp); tests pass a time of their choosing.</summary>
    public void Observe(long now)
    {
        var gap = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastBeat), now);
        var stalledNow = gap >= Threshold && !_fenced;
        if (stalledNow)
        {
            // Latched before the fresh beat is published (see MayAcknowledge).
            _fenced = true;
        }

        Interlocked.Exchange(ref _lastBeat, now);
        if (stalledNow)
        {
            OnStalled(gap);
        }
    }

    private void OnStalled(TimeSpan gap)
    {
        _system.Log.Error(
            "This process stalled for {0:0.0} s (more than {1:0.0} s): the cluster may have declared this node dead and moved its entities. " +
            "It acknowledges nothing from now on and downs itself; clients reconnect elsewhere.",
            gap.TotalSeconds,
            Threshold.TotalSeconds);
        if (_system.Settings.ProviderClass.Contains("Cluster", StringComparison.Ordinal))
        {
            var cluster = Cluster.Get(_system);
            cluster.Down(cluster.SelfAddress);
        }
    }
}

/// <summary>Latches the fence when this node is marked down.</summary>
internal sealed class DownedWatcher : ReceiveActor
{
    public DownedWatcher(StallFence fence)
    {
        var cluster = Cluster.Get(Context.System);
        Receive<ClusterEvent.MemberDowned>(d =>
        {
            if (d.Member.UniqueAddress.Equals(cluster.SelfUniqueAddress))
            {
                fence.Latch("this node was marked down");
            }
        });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
    }

    protected override void PreStart() => Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberDowned));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);
}

public sealed class StallFenceProvider : ExtensionIdProvider<StallFence>
{
    public override StallFence CreateExtension(ExtendedActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var configured = system.Settings.Config.GetTimeSpan("akkagame.failover.stall-threshold", TimeSpan.Zero, allowInfinite: false);

        // Without the setting (a test's own configuration): the failure detector's acceptable
        // pause, since a shorter stall cannot even make this node unreachable.
        var threshold = configured > TimeSpan.Zero
            ? configured
            : system.Settings.Config.GetTimeSpan("akka.cluster.failure-detector.acceptable-heartbeat-pause", TimeSpan.FromSeconds(3), allowInfinite: false);
        return new StallFence(system, threshold);
    }
}
