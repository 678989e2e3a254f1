using Akka.Actor;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Messages;

namespace AkkaGame.Node.Delivery;

/// <summary>
/// How an entity sends one encoded frame to many players' clients, at a cost that grows with
/// the number of nodes they are on, not with the number of players:
/// <list type="bullet">
/// <item>a session on this node whose connection is known: the frame is written straight to its
/// <see cref="ClientConnection"/> (no message, no mailbox, no scheduling of the session);</item>
/// <item>sessions on another node: one <see cref="RelayFrame"/> per node, to that node's
/// <see cref="FrameRelay"/>, which writes to each connection there;</item>
/// <item>anything else (a session of a test, one that just stopped): <see cref="DeliverFrame"/>,
/// as before.</item>
/// </list>
/// Frames from one entity reach a client in the order the entity wrote them, since each path
/// preserves the sender's order. A connection that is full gets <see cref="OutboundFull"/> sent
/// to its session, which aborts it as a slow consumer. Used by one actor at a time (not thread-safe).
/// </summary>
public sealed class FrameDelivery(ActorSystem system, LocalConnections local)
{
    private readonly Dictionary<Address, List<IActorRef>> _remote = [];

    /// <summary>
    /// Each node's relay, resolved once (a remote reference by path, delivered to whichever
    /// incarnation lives there), rather than an ActorSelection built and wrapped for every frame.
    /// </summary>
    private readonly Dictionary<Address, IActorRef> _relays = [];

    public FrameDelivery(ActorSystem system)
        : this(system, LocalConnections.For(system))
    {
    }

    /// <summary>The frame to one session (a join's snapshot, a chat line's acknowledgement).</summary>
    public void Send(byte[] frame, IActorRef session) => Send(frame, [session]);

    /// <summary>The same frame to every session (encoded once by the caller).</summary>
    public void Send(byte[] frame, IEnumerable<IActorRef> sessions)
    {
        foreach (var session in sessions)
        {
            if (!TryWriteLocal(frame, session))
            {
                var address = session.Path.Address;
                if (!_remote.TryGetValue(address, out var list))
                {
                    _remote[address] = list = [];
                }

                list.Add(session);
            }
        }

        foreach (var (address, list) in _remote)
        {
            if (list.Count > 0)
            {
                RelayOf(address).Tell(new RelayFrame(frame, [.. list]));
                list.Clear();
            }
        }
    }

    /// <summary>
    /// Writes to a session of this node; true when handled here (written, dropped because the
    /// connection closed, or sent as <see cref="DeliverFrame"/>), false for a remote session.
    /// </summary>
    public bool TryWriteLocal(byte[] frame, IActorRef session)
    {
        if (!session.Path.Address.HasLocalScope)
        {
            return false;
        }

        if (!local.TryGet(session, out var connection))
        {
            session.Tell(new DeliverFrame(frame));
            return true;
        }

        if (connection.Write(frame) == WriteResult.Full)
        {
            session.Tell(OutboundFull.Instance);
        }

        return true;
    }

    private IActorRef RelayOf(Address address)
    {
        if (!_relays.TryGetValue(address, out var relay))
        {
            relay = ((ExtendedActorSystem)system).Provider.ResolveActorRef(new RootActorPath(address) / "user" / FrameRelay.Name);
            _relays[address] = relay;
        }

        return relay;
    }
}

/// <summary>A session's connection would pass its outbound bound: the session aborts it (SLOW_CONSUMER). Local only.</summary>
public sealed class OutboundFull
{
    public static readonly OutboundFull Instance = new();
}
