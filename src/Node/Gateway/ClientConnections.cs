// The node's client connections: one connection's streams both ways (ClientConnection), and
// how entities write one encoded frame to many of them (LocalConnections, FrameDelivery,
// FrameRelay). Kept in one file because together they are the way between a sector and the
// sockets: everything after the sector's tick and before TCP.
using System.Collections.Concurrent;
using System.Threading.Channels;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaGame.Game.Frames;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Sessions;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// One client connection's streams, both ways. In (<see cref="Flow"/>): bytes are split into
/// frames (shared <see cref="FrameDecoder"/>) and handed to the session with ack-based
/// back-pressure, so a flooding client is slowed by TCP instead of filling a mailbox. Out: the
/// session's frames queue here until TCP takes them. The queue is bounded by bytes, not by count,
/// and never drops silently: when a frame would take it past its bound the writer is told, and
/// the session aborts the connection of the slow consumer (<see cref="Abort"/>). Queued frames
/// are joined into writes of up to max-write-bytes, because the TCP stage waits for an ack per
/// write. An abort fails the connection's stage (TCP) or its kill switch (WebSocket) on both
/// directions, so it resets the connection whatever state its write side is in.
/// </summary>
public sealed class ClientConnection
{
    // Two writers: the session (its replies) and the sector the player is in (deltas, snapshots
    // and chat lines, written straight here by FrameDelivery), so frames are serialized by _writeLock.
    private readonly Channel<byte[]> _channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly object _writeLock = new();
    private readonly SharedKillSwitch _killSwitch = KillSwitches.Shared("connection");
    private readonly long _maxQueuedBytes;
    private readonly long _maxWriteBytes;
    private readonly GatewayMetrics? _metrics;
    private long _queuedBytes;
    private long _takenFrames;
    private bool _completed;
    private bool _aborted;
    private Action<Exception>? _abortTransport;
    private Exception? _abortReason;

    /// <summary>
    /// The reader's wake-up while it waits on an empty queue (<see cref="TakeOrWait"/>), called
    /// once by whichever comes next: a frame, the completion or an abort. The connection's stage
    /// makes it two thread-pool work items (a global one, then the stage's message), where a wait
    /// on the channel took three (the channel's continuation, the task's continuation, then the
    /// stage's message).
    /// </summary>
    private Action? _readerWake;

    /// <param name="metrics">Counts every frame written (messages and bytes out), whoever wrote it.</param>
    public ClientConnection(long maxQueuedBytes, long maxWriteBytes, GatewayMetrics? metrics = null)
    {
        _maxQueuedBytes = maxQueuedBytes;
        _maxWriteBytes = maxWriteBytes;
        _metrics = metrics;
    }

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>How many frames the transport has taken off the queue so far: it grows while the client reads (conflation's sign of progress).</summary>
    public long TakenFrames => Interlocked.Read(ref _takenFrames);

    /// <summary>Frames are joined into writes of at most this many bytes (a larger frame is written alone).</summary>
    public long MaxWriteBytes => _maxWriteBytes;

    /// <summary>
    /// The connection's stream for the TCP stage: inbound reads go to <paramref name="session"/>
    /// as <see cref="InboundFrames"/> (one ack each), outbound bytes are this queue's frames. One
    /// stage (<see cref="ConnectionStage"/>); materialize it once. After the session stops, what it
    /// queued has <paramref name="writeBound"/> to be written before the connection is reset.
    /// </summary>
    public Flow<ByteString, ByteString, NotUsed> Flow(IActorRef session, int maxFrameBytes, TimeSpan writeBound) =>
        Akka.Streams.Dsl.Flow.FromGraph(new ConnectionStage(this, session, maxFrameBytes, writeBound));

    /// <summary>
    /// Where a transport's inbound frames go: to the session, one <see cref="InboundFrames"/> per
    /// read and one ack each (back-pressure), behind the kill switch.
    /// </summary>
    public Sink<InboundFrames, NotUsed> SessionSink(IActorRef session) =>
        Akka.Streams.Dsl.Flow.Create<InboundFrames>()
            .Via(_killSwitch.Flow<InboundFrames>())
            .To(Sink.ActorRefWithAck<InboundFrames>(
                session,
                StreamInit.Instance,
                StreamAck.Instance,
                StreamCompleted.Instance,
                ex => new StreamFailed(ex)));

    /// <summary>
    /// For a transport that sends one message per frame (WebSocket): the queued frames one by one,
    /// without their length prefix, until <see cref="Complete"/> (or <see cref="Abort"/>). Used
    /// instead of <see cref="Flow"/>, never with it.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> Messages([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var frame in _channel.Reader.ReadAllAsync(ct))
        {
            Dequeued(frame.Length);
            yield return frame.AsMemory(Frame.HeaderBytes);
        }
    }

    /// <summary>
    /// Queues a frame, from any thread: <see cref="WriteResult.Full"/> (and nothing queued) when
    /// that would pass the bound, <see cref="WriteResult.Closed"/> after the last frame or an abort.
    /// </summary>
    public WriteResult Write(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Action? wake;
        lock (_writeLock)
        {
            if (_completed)
            {
                return WriteResult.Closed;
            }

            if (Interlocked.Read(ref _queuedBytes) + frame.Length > _maxQueuedBytes)
            {
                return WriteResult.Full;
            }

            Interlocked.Add(ref _queuedBytes, frame.Length);
            _channel.Writer.TryWrite(frame);
            wake = TakeReaderWake();
        }

        wake?.Invoke();
        _metrics?.Out(frame.Length);
        return WriteResult.Written;
    }

    /// <summary>
    /// Queues the last frame of the connection regardless of the bound, then completes: the
    /// socket's write side closes (FIN) once everything queued is written, while its read side
    /// stays open so the client's unread input cannot make the close a reset. No other writer's
    /// frame can follow it.
    /// </summary>
    public void WriteFinal(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Action? wake;
        lock (_writeLock)
        {
            if (_completed)
            {
                return;
            }

            Interlocked.Add(ref _queuedBytes, frame.Length);
            _channel.Writer.TryWrite(frame);
            wake = CompleteLocked();
        }

        wake?.Invoke();
        _metrics?.Out(frame.Length);
    }

    /// <summary>No more frames: the socket's write side closes after the queue drains.</summary>
    public void Complete()
    {
        Action? wake;
        lock (_writeLock)
        {
            wake = CompleteLocked();
        }

        wake?.Invoke();
    }

    /// <summary>
    /// Drops everything queued and aborts the connection now (a reset): for a client that stopped
    /// reading, whose queue and socket buffers must not hold memory any longer.
    /// </summary>
    public void Abort(string why)
    {
        // The stream, the channel's only reader, stops; what is queued goes with this object.
        // The channel completes with the failure, not normally: a stream waiting on an empty
        // channel must fail (the TCP stage then resets the connection), not complete (a FIN),
        // whichever of the channel and the kill switch reaches it first.
        var reason = new IOException(why);
        Action<Exception>? abortTransport;
        Action? wake;
        lock (_writeLock)
        {
            _completed = true;
            Volatile.Write(ref _aborted, true);
            _channel.Writer.TryComplete(reason);
            Interlocked.Exchange(ref _queuedBytes, 0);
            _abortReason ??= reason;
            abortTransport = _abortTransport;
            wake = TakeReaderWake();
        }

        _killSwitch.Abort(reason);
        abortTransport?.Invoke(reason);
        wake?.Invoke();
    }

    /// <summary>
    /// What else <see cref="Abort"/> must do for this connection's transport (the TCP stage fails,
    /// a WebSocket aborts), called with the abort's reason. Returns the reason instead when the
    /// connection was aborted already, for the transport to act on at once.
    /// </summary>
    internal Exception? OnAbort(Action<Exception> abort)
    {
        lock (_writeLock)
        {
            if (_abortReason is null)
            {
                _abortTransport = abort;
            }

            return _abortReason;
        }
    }

    /// <summary>The transport has stopped: an abort from now on has nothing of it to act on (and no dead letter to leave).</summary>
    internal void Detach()
    {
        lock (_writeLock)
        {
            _abortTransport = null;
        }
    }

    /// <summary>Takes the next queued frame (the single reader: the connection's stage); it no longer counts as queued.</summary>
    internal bool TryTake(out byte[] frame)
    {
        if (!_channel.Reader.TryRead(out frame!))
        {
            return false;
        }

        Dequeued(frame.Length);
        return true;
    }

    /// <summary>
    /// Takes the next queued frame (the single reader: the connection's stage) or, when none is
    /// queued and the queue is still open, leaves <paramref name="wake"/> to be called once, from
    /// the thread of whichever comes next (a frame, the completion, an abort). Returns
    /// <see cref="QueueTake.Ended"/> once the queue is complete and empty, and
    /// <see cref="QueueTake.Aborted"/> after an abort (<paramref name="abortReason"/>).
    /// </summary>
    internal QueueTake TakeOrWait(out byte[] frame, Action wake, out Exception? abortReason)
    {
        abortReason = null;
        if (!Volatile.Read(ref _aborted) && TryTake(out frame))
        {
            return QueueTake.Frame;
        }

        // Checked again under the writers' lock, so a frame written meanwhile either is found
        // here or finds the wake-up left here: it cannot fall between the two.
        lock (_writeLock)
        {
            if (_aborted)
            {
                frame = null!;
                abortReason = _abortReason;
                return QueueTake.Aborted;
            }

            if (TryTake(out frame))
            {
                return QueueTake.Frame;
            }

            if (_completed)
            {
                return QueueTake.Ended;
            }

            _readerWake = wake;
            return QueueTake.Waiting;
        }
    }

    /// <summary>
    /// The reader took a frame off the channel: it no longer counts as queued. Once an abort has
    /// dropped the count to 0 (the reader may still take frames left in the channel), it stays 0.
    /// Without a lock on this per-frame path: the abort sets the flag before it zeroes the count,
    /// so a subtraction that races it is either zeroed by it or sees the flag afterwards.
    /// </summary>
    private void Dequeued(int bytes)
    {
        Interlocked.Increment(ref _takenFrames);
        if (Volatile.Read(ref _aborted))
        {
            return;
        }

        Interlocked.Add(ref _queuedBytes, -bytes);
        if (Volatile.Read(ref _aborted))
        {
            Interlocked.Exchange(ref _queuedBytes, 0);
        }
    }

    /// <summary>Completes the queue; returns the reader's wake-up, for the caller to call after the lock.</summary>
    private Action? CompleteLocked()
    {
        _completed = true;
        _channel.Writer.TryComplete();
        return TakeReaderWake();
    }

    /// <summary>The waiting reader's wake-up, taken (it is called once); under <see cref="_writeLock"/>.</summary>
    private Action? TakeReaderWake()
    {
        var wake = _readerWake;
        _readerWake = null;
        return wake;
    }
}

/// <summary>What the reader of a <see cref="ClientConnection"/>'s queue found (<see cref="ClientConnection.TakeOrWait"/>).</summary>
internal enum QueueTake
{
    /// <summary>A frame, taken.</summary>
    Frame,

    /// <summary>Nothing queued: the reader's wake-up is left for the next frame, completion or abort.</summary>
    Waiting,

    /// <summary>Complete and empty: the last frame is written.</summary>
    Ended,

    /// <summary>Aborted: what was queued is dropped.</summary>
    Aborted,
}

/// <summary>What became of a frame offered to a <see cref="ClientConnection"/>.</summary>
public enum WriteResult
{
    Written,

    /// <summary>The client let too much pile up: its session must abort it (SLOW_CONSUMER).</summary>
    Full,

    /// <summary>The connection already sent its last frame, or was aborted; the frame is dropped.</summary>
    Closed,
}

/// <summary>
/// The client connections of this node's sessions, by session actor: what lets a sector (or
/// this node's <see cref="FrameRelay"/>) write a frame straight to a client's connection instead
/// of sending one message per player through each session's mailbox. A session adds itself when
/// it starts and removes itself when it stops. An Akka extension, so sharded entities, which
/// sharding creates, can reach it.
/// </summary>
public sealed class LocalConnections : IExtension
{
    private readonly ConcurrentDictionary<IActorRef, ClientConnection> _connections = new();

    public static LocalConnections For(ActorSystem system) => system.WithExtension<LocalConnections, Provider>();

    public void Add(IActorRef session, ClientConnection connection) => _connections[session] = connection;

    public void Remove(IActorRef session) => _connections.TryRemove(session, out _);

    public bool TryGet(IActorRef session, out ClientConnection connection) => _connections.TryGetValue(session, out connection!);

    private sealed class Provider : ExtensionIdProvider<LocalConnections>
    {
        public override LocalConnections CreateExtension(ExtendedActorSystem system) => new();
    }
}

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
/// to its session, which aborts it as a slow consumer. With conflation (a sector's deltas and
/// snapshots, <see cref="SendDelta"/>, <see cref="SendSnapshot"/>), a connection on this node
/// that is behind gets no deltas instead, and a fresh snapshot once it has drained
/// (<see cref="Conflation{TKey}"/>). Used by one actor at a time (not thread-safe).
/// </summary>
public sealed class FrameDelivery(ActorSystem system, LocalConnections local, ConflationRules? conflation = null)
{
    private readonly Dictionary<Address, List<IActorRef>> _remote = [];

    /// <summary>
    /// Each node's relay, resolved once (a remote reference by path, delivered to whichever
    /// incarnation lives there), rather than an ActorSelection built and wrapped for every frame.
    /// </summary>
    private readonly Dictionary<Address, IActorRef> _relays = [];

    /// <summary>Which of this node's connections are behind; null: conflation off.</summary>
    private readonly Conflation<IActorRef>? _conflation = conflation is null ? null : new(conflation);

    /// <summary>On a relay: connections that drained and wait for their sector's fresh snapshot, with when it was asked for.</summary>
    private readonly Dictionary<IActorRef, long> _awaitingSnapshot = [];
    private int _relayedSincePrune;

    /// <summary>A catch-up a sector did not answer (it moved, or stopped) is asked again after this long.</summary>
    public const long CatchUpRetryMs = 2000;

    /// <summary>A relay forgets the connections that have left this node every this many relayed frames.</summary>
    private const int PruneEvery = 4096;

    public FrameDelivery(ActorSystem system, ConflationRules? conflation = null)
        : this(system, LocalConnections.For(system), conflation)
    {
    }

    /// <summary>True while any connection is behind: <see cref="TryResume"/> is worth asking.</summary>
    public bool AnyBehind => _conflation is { BehindCount: > 0 };

    /// <summary>The frame to one session (a chat line's acknowledgement).</summary>
    public void Send(byte[] frame, IActorRef session) => Send(frame, [session]);

    /// <summary>The same frame to every session (encoded once by the caller).</summary>
    public void Send(byte[] frame, IEnumerable<IActorRef> sessions) => Send(frame, sessions, RelayedFrame.Event);

    /// <summary>The same frame to every session; sessions on other nodes get it as <paramref name="kind"/> (what their relay may skip).</summary>
    private void Send(byte[] frame, IEnumerable<IActorRef> sessions, RelayedFrame kind)
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
                RelayOf(address).Tell(new RelayFrame(frame, [.. list], kind));
                list.Clear();
            }
        }
    }

    /// <summary>
    /// A tick's delta (its frames, in order) to every session. With conflation, a connection on
    /// this node that is behind gets none of it, and one that stalled is aborted through its
    /// session; returns how many sessions the delta skipped here. Sessions on other nodes get it
    /// through their node's relay, which does the same there (<see cref="WriteRelayed"/>).
    /// </summary>
    public int SendDelta(IReadOnlyList<byte[]> frames, IEnumerable<IActorRef> sessions)
    {
        if (_conflation is null)
        {
            foreach (var frame in frames)
            {
                Send(frame, sessions, RelayedFrame.Delta);
            }

            return 0;
        }

        var bytes = 0L;
        foreach (var frame in frames)
        {
            bytes += frame.Length;
        }

        var now = Environment.TickCount64;
        var skipped = 0;
        List<IActorRef>? elsewhere = null;
        foreach (var session in sessions)
        {
            if (!TryGetLocal(session, out var connection))
            {
                (elsewhere ??= []).Add(session);
                continue;
            }

            if (!OfferDelta(frames, bytes, session, connection, now))
            {
                skipped++;
            }
        }

        if (elsewhere is not null)
        {
            foreach (var frame in frames)
            {
                Send(frame, elsewhere, RelayedFrame.Delta);
            }
        }

        return skipped;
    }

    /// <summary>
    /// A snapshot's frames, in order, to one session (a join's, or a fresh one for a connection
    /// that was behind). With conflation, a connection on this node that they do not fit is
    /// behind (a fresh snapshot follows once it drains) instead of dropped as a slow consumer.
    /// </summary>
    public void SendSnapshot(IReadOnlyList<byte[]> frames, IActorRef session)
    {
        if (_conflation is not null && TryGetLocal(session, out var connection))
        {
            WriteAll(frames, session, connection, Environment.TickCount64);
            return;
        }

        foreach (var frame in frames)
        {
            Send(frame, [session], RelayedFrame.Snapshot);
        }
    }

    /// <summary>
    /// True when <paramref name="session"/>'s connection was behind and has drained: it is no
    /// longer behind, and the caller sends it a fresh snapshot (<see cref="SendSnapshot"/>)
    /// before its next delta.
    /// </summary>
    public bool TryResume(IActorRef session) =>
        _conflation is not null && TryGetLocal(session, out var connection) && _conflation.TryResume(session, connection.QueuedBytes);

    /// <summary>The session left the entity: nothing is kept of it.</summary>
    public void Forget(IActorRef session) => _conflation?.Forget(session);

    /// <summary>
    /// A frame an entity on another node relayed for sessions of this node (the relay's side of
    /// <see cref="SendDelta"/> and <see cref="SendSnapshot"/>). With conflation a delta is
    /// conflated as a sector does for its own node's connections; once a behind connection has
    /// drained, <paramref name="sector"/> is asked for a fresh snapshot (<see cref="CatchUp"/>,
    /// asked again every <see cref="CatchUpRetryMs"/> until it comes), and deltas skip the
    /// connection until it does.
    /// </summary>
    public void WriteRelayed(RelayFrame relay, IActorRef sector)
    {
        if (_conflation is null || relay.Kind == RelayedFrame.Event)
        {
            foreach (var session in relay.Sessions)
            {
                // Sessions named in a relay live here; one that is gone gets a dead letter, as before.
                TryWriteLocal(relay.Frame, session);
            }

            return;
        }

        var now = Environment.TickCount64;
        byte[][] frames = [relay.Frame];
        foreach (var session in relay.Sessions)
        {
            if (!TryGetLocal(session, out var connection))
            {
                _conflation.Forget(session);
                _awaitingSnapshot.Remove(session);
                TryWriteLocal(relay.Frame, session);
            }
            else if (relay.Kind == RelayedFrame.Snapshot)
            {
                _awaitingSnapshot.Remove(session);
                WriteAll(frames, session, connection, now);
            }
            else if (_awaitingSnapshot.TryGetValue(session, out var askedAt))
            {
                if (now - askedAt >= CatchUpRetryMs)
                {
                    _awaitingSnapshot[session] = now;
                    sector.Tell(new CatchUp(session));
                }
            }
            else if (_conflation.TryResume(session, connection.QueuedBytes))
            {
                _awaitingSnapshot[session] = now;
                sector.Tell(new CatchUp(session));
            }
            else
            {
                OfferDelta(frames, relay.Frame.Length, session, connection, now);
            }
        }

        // What is kept of sessions that have gone since (their connections left this node) goes too.
        if (++_relayedSincePrune >= PruneEvery)
        {
            _relayedSincePrune = 0;
            _conflation.ForgetWhere(s => !local.TryGet(s, out _));
            foreach (var gone in _awaitingSnapshot.Keys.Where(s => !local.TryGet(s, out _)).ToList())
            {
                _awaitingSnapshot.Remove(gone);
            }
        }
    }

    /// <summary>
    /// Of <paramref name="sessions"/>, how many have their connection on this node, and how many
    /// of those have more than <paramref name="bytes"/> queued unsent or are behind (conflation):
    /// players the node cannot deliver to in time (time dilation counts them).
    /// </summary>
    public (int Local, int Behind) Backlog(IEnumerable<IActorRef> sessions, long bytes)
    {
        var (count, behind) = (0, 0);
        foreach (var session in sessions)
        {
            if (TryGetLocal(session, out var connection))
            {
                count++;
                if (connection.QueuedBytes > bytes || _conflation?.IsBehind(session) == true)
                {
                    behind++;
                }
            }
        }

        return (count, behind);
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

    private bool TryGetLocal(IActorRef session, out ClientConnection connection)
    {
        connection = null!;
        return session.Path.Address.HasLocalScope && local.TryGet(session, out connection);
    }

    /// <summary>
    /// A delta's frames offered to a connection of this node (conflation on): written, skipped
    /// (it is behind), or skipped and its session told to abort it (it stalled). True when written.
    /// </summary>
    private bool OfferDelta(IReadOnlyList<byte[]> frames, long bytes, IActorRef session, ClientConnection connection, long nowMs)
    {
        switch (_conflation!.Offer(session, connection.QueuedBytes, connection.TakenFrames, bytes, nowMs))
        {
            case DeltaDecision.Write:
                WriteAll(frames, session, connection, nowMs);
                return true;
            case DeltaDecision.Abort:
                session.Tell(OutboundFull.Instance);
                return false;
            default:
                return false;
        }
    }

    /// <summary>Writes the frames in order; a full connection is behind from here (it gets a fresh snapshot once drained).</summary>
    private void WriteAll(IReadOnlyList<byte[]> frames, IActorRef session, ClientConnection connection, long nowMs)
    {
        foreach (var frame in frames)
        {
            switch (connection.Write(frame))
            {
                case WriteResult.Full:
                    _conflation!.FellBehind(session, connection.TakenFrames, nowMs);
                    return;
                case WriteResult.Closed:
                    return;
            }
        }
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

/// <summary>
/// One per game node, at /user/frame-relay: takes a frame an entity on another node sent once
/// for all its players here (<see cref="RelayFrame"/>) and writes it to each of their
/// connections, conflating deltas as the sector would (<see cref="FrameDelivery.WriteRelayed"/>).
/// </summary>
public sealed class FrameRelay : ReceiveActor
{
    public const string Name = "frame-relay";

    public FrameRelay(ConflationRules? conflation)
    {
        var delivery = new FrameDelivery(Context.System, conflation);
        Receive<RelayFrame>(relay => delivery.WriteRelayed(relay, Sender));
    }

    public static Props Props(ConflationRules? conflation = null) => Akka.Actor.Props.Create(() => new FrameRelay(conflation));
}
