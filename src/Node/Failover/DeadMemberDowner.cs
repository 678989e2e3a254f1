using System.Net.Sockets;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;

namespace AkkaGame.Node.Failover;

/// <summary>
/// Downs a member at once when its process is provably gone: its remoting connection dropped or
/// the failure detector marked it unreachable, and its cluster port now refuses connections.
/// A refused connection means no process listens there, so nothing of that incarnation can
/// still run; waiting out the split brain resolver's stable-after for it only strands its
/// players. A frozen process (its socket still accepts), a network partition (connections time
/// out) or a slow node are never downed here: they are the split brain resolver's to decide.
/// A member restarted on the same address accepts again, and joining downs its old incarnation.
/// Only a node that sees a majority of the members acts, as keep-majority would: a partition
/// behind a firewall that rejects connections looks refused from both sides.
/// </summary>
public sealed class DeadMemberDowner : ReceiveActor, IWithTimers
{
    /// <summary>Two refusals this far apart: a process that is starting or restarting its listener is not mistaken for a dead one.</summary>
    private static readonly TimeSpan ConfirmAfter = TimeSpan.FromMilliseconds(200);

    /// <summary>How often members still unreachable are probed again.</summary>
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(500);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Cluster _cluster = Cluster.Get(Context.System);
    private readonly IRemoteActorRefProvider? _remote = ((ExtendedActorSystem)Context.System).Provider as IRemoteActorRefProvider;
    /// <summary>Unreachable members: probed until they are reachable again, removed or downed.</summary>
    private readonly HashSet<UniqueAddress> _suspects = [];
    private readonly HashSet<UniqueAddress> _probing = [];

    public DeadMemberDowner()
    {
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Unreachable)
            {
                Suspect(member, untilReachable: true);
            }
        });
        Receive<ClusterEvent.UnreachableMember>(u => Suspect(u.Member, untilReachable: true));
        Receive<ClusterEvent.ReachableMember>(r => _suspects.Remove(r.Member.UniqueAddress));
        Receive<ClusterEvent.MemberRemoved>(r => _suspects.Remove(r.Member.UniqueAddress));
        Receive<DisassociatedEvent>(d => SuspectAddress(d.RemoteAddress));
        Receive<AssociationErrorEvent>(e => SuspectAddress(e.RemoteAddress));
        Receive<ProbeAll>(_ =>
        {
            foreach (var suspect in _suspects.ToList())
            {
                Probe(suspect);
            }
        });
        Receive<ProbeResult>(OnProbeResult);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props() => Akka.Actor.Props.Create(() => new DeadMemberDowner());

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.MemberRemoved));
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        Context.System.EventStream.Subscribe(Self, typeof(AssociationErrorEvent));
        Timers.StartPeriodicTimer(nameof(ProbeAll), ProbeAll.Instance, ProbeEvery);
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void SuspectAddress(Address address)
    {
        // Only a current member's incarnation; an address that is not (or no longer) one is not ours to down.
        var member = _cluster.State.Members.FirstOrDefault(m => m.Address.Equals(address));
        if (member is not null)
        {
            // A dropped connection alone is a hint, not a verdict: probe once now; only the
            // failure detector's unreachability makes the probing last.
            Suspect(member, untilReachable: false);
        }
    }

    private void Suspect(Member member, bool untilReachable)
    {
        if (member.UniqueAddress.Equals(_cluster.SelfUniqueAddress) || member.Status is MemberStatus.Down or MemberStatus.Removed or MemberStatus.Leaving or MemberStatus.Exiting)
        {
            return;
        }

        if (!untilReachable || _suspects.Add(member.UniqueAddress))
        {
            Probe(member.UniqueAddress);
        }
    }

    private void Probe(UniqueAddress suspect)
    {
        if (!_probing.Add(suspect) || suspect.Address.Host is not { } host || suspect.Address.Port is not { } port)
        {
            return;
        }

        ProbeTwiceAsync(host, port).PipeTo(Self, success: refused => new ProbeResult(suspect, refused), failure: _ => new ProbeResult(suspect, false));
    }

    private void OnProbeResult(ProbeResult result)
    {
        _probing.Remove(result.Suspect);
        if (!result.Refused)
        {
            return;
        }

        var member = _cluster.State.Members.FirstOrDefault(m => m.UniqueAddress.Equals(result.Suspect));
        if (member is { Status: MemberStatus.Down })
        {
            // Downed by another node or by the split brain resolver, and provably gone.
            MarkTerminated(member);
            _suspects.Remove(result.Suspect);
            return;
        }

        if (member is null || member.Status is MemberStatus.Leaving or MemberStatus.Exiting)
        {
            _suspects.Remove(result.Suspect);
            return;
        }

        if (!OnMajoritySide(member))
        {
            // A firewall that rejects (rather than drops) makes a partition look refused from
            // both sides; only the side that keep-majority would keep may act on it.
            _log.Info("Not downing {0} although its port refuses connections: this node does not see a majority of the members", member.Address);
            return;
        }

        _log.Warning("Downing {0}: its connection dropped and nothing listens on its cluster port any more (the process is gone)", member.Address);
        _cluster.Down(member.Address);
        MarkTerminated(member);
        _suspects.Remove(result.Suspect);
    }

    /// <summary>
    /// The leader removes a downed member only once it is unreachable or terminated in the
    /// gossip's reachability table, and the failure detector takes its acceptable pause (about
    /// 2 s here) to say so. Quarantining the dead incarnation's UID records it as terminated at
    /// once (the cluster daemon turns remoting's <see cref="QuarantinedEvent"/> into that), so it
    /// is removed, and its shards move, that much sooner. Safe only because the process is
    /// provably gone and downed: the quarantine refuses this one incarnation for good, while a
    /// process restarted on the same address has a new UID and joins as usual.
    /// </summary>
    private void MarkTerminated(Member member)
    {
        _remote?.Quarantine(member.Address, member.UniqueAddress.Uid);
    }

    /// <summary>
    /// Keep-majority's own rule: of the Up and Leaving members, more than half (this node
    /// included, the suspect and every unreachable member excluded) are reachable from here.
    /// </summary>
    private bool OnMajoritySide(Member suspect)
    {
        var state = _cluster.State;
        var counted = state.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.Leaving).ToList();
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).Append(suspect.UniqueAddress).ToHashSet();
        var reachable = counted.Count(m => !unreachable.Contains(m.UniqueAddress));
        return reachable * 2 > counted.Count;
    }

    /// <summary>True only when two connection attempts, <see cref="ConfirmAfter"/> apart, are both refused.</summary>
    private static async Task<bool> ProbeTwiceAsync(string host, int port)
    {
        if (!await RefusedAsync(host, port))
        {
            return false;
        }

        await Task.Delay(ConfirmAfter);
        return await RefusedAsync(host, port);
    }

    private static async Task<bool> RefusedAsync(string host, int port)
    {
        using var cts = new CancellationTokenSource(ConnectTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, cts.Token);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            // Timed out or unreachable: maybe a partition, maybe a frozen host; not provably dead.
            return false;
        }
    }

    private sealed record ProbeResult(UniqueAddress Suspect, bool Refused);

    private sealed class ProbeAll
    {
        public static readonly ProbeAll Instance = new();
    }
}
