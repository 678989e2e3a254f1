// The node's client connections: one connection's streams both ways (ClientConnection), and
// how entities write one encoded frame to many of them (LocalConnections, FrameDelivery,
// FrameRelay). Kept in one file because together they are the way between a sector and the
// sockets: everything after the sector's tick and before TCP.
using System.Collections.Concurrent;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Sessions;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// One client connection's streams, both ways. In (<see cref="Flow"/>): bytes are split into
/// frames (shared <see cref="FrameDecoder"/>) and handed to the session with ack-based
/// back-pressure, so a flooding client is slowed by TCP instead of filling a mailbox. Out: the
/// session's and its sector's frames queue here until TCP takes them. The queue is bounded by
/// bytes, not by count, and never drops silently: when a frame would take it past its bound the
/// writer is told, and the session aborts the connection of the slow consumer (<see cref="Abort"/>).
/// Queued frames are joined into writes of up to max-write-bytes, because the TCP stage waits for
/// an ack per write. The kill switch sits on both directions, so an abort resets the connection
/// whatever state its write side is in.
/// </summary>
/// <remarks>
/// The queue is a plain queue under a lock, read by <see cref="OutboundSource"/>, not a channel:
/// a frame written to an idle connection wakes its stream with one message, where a channel's
/// reader stage took three thread-pool work items (the channel's waiter, the continuation, the
/// stage's callback) for every frame of an idle connection, two thirds of what sending a sector's
/// delta to 800 players cost between the tick and the socket (bench/README.md, issue 13).
/// </remarks>
public sealed class ClientConnection
{
    // Two writers: the session (its replies) and the sector the player is in (deltas, snapshots
    // and chat lines, written straight here by FrameDelivery); one reader (the stream, or a
    // WebSocket's sender). All under _lock.
    private readonly Queue<byte[]> _queue = new();
    private readonly object _lock = new();
    private readonly SharedKillSwitch _killSwitch = KillSwitches.Shared("connection");
    private readonly long _maxQueuedBytes;
    private readonly long _maxWriteBytes;
    private readonly GatewayMetrics? _metrics;
    private long _queuedBytes;
    private bool _completed;
    private IOException? _aborted;
    private Action? _wakeReader;
    private Action? _abortTransport;

    // The inbound side's credit: chunks sent to the session and not handled yet, and the stream's
    // wake-up while it waits for the session.
    private readonly object _inboundLock = new();
    private int _inboundUnhandled;
    private bool _sessionStopped;
    private Action? _wakeInbound;
    private Action? _stopInbound;

    /// <summary>
    /// How many reads may wait for the session: more than one, so a session that keeps up never
    /// holds the stream; few, so a flooding client is held back by TCP, not by the session's mailbox.
    /// </summary>
    public const int InboundWindow = 4;

    /// <param name="metrics">Counts every frame written (messages and bytes out), whoever wrote it.</param>
    public ClientConnection(long maxQueuedBytes, long maxWriteBytes, GatewayMetrics? metrics = null)
    {
        _maxQueuedBytes = maxQueuedBytes;
        _maxWriteBytes = maxWriteBytes;
        _metrics = metrics;
    }

    /// <summary>What the reader found in the queue.</summary>
    internal enum Take
    {
        /// <summary>One frame or more, handed over.</summary>
        Taken,

        /// <summary>Nothing yet: the reader's wake-up is kept and called once, by the next write, completion or abort.</summary>
        Waiting,

        /// <summary>Completed and drained: nothing will follow.</summary>
        Done,

        /// <summary>Aborted: what was queued is dropped; the stream must fail, not complete.</summary>
        Aborted,
    }

    /// <summary>
    /// The bytes to write to the socket. Completes after <see cref="Complete"/> once drained (the
    /// TCP stage then closes its write side); fails at once after <see cref="Abort"/> (the TCP
    /// stage then aborts the connection). Materialize it once. Built when the stream is, and not
    /// kept: a kept blueprint held its modules (a dozen objects per stage) for the whole life of
    /// the connection, about 3 KB of each idle connection's heap (bench/README.md, issue 13).
    /// </summary>
    public Source<ByteString, NotUsed> Outbound() =>
        Source.FromGraph(new OutboundSource(this)).Via(_killSwitch.Flow<ByteString>());

    /// <summary>Bytes written and not yet taken by the socket's stream (or the WebSocket's sender).</summary>
    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>
    /// The connection's stream for the TCP stage: inbound chunks go to <paramref name="session"/>
    /// as <see cref="InboundFrames"/> (one ack each), outbound bytes come from <see cref="Outbound"/>.
    /// </summary>
    public Flow<ByteString, ByteString, NotUsed> Flow(IActorRef session, int maxFrameBytes)
    {
        var decoder = new FrameDecoder(maxFrameBytes);
        var inbound = Akka.Streams.Dsl.Flow.Create<ByteString>()
            .Select(bytes =>
            {
                var frames = new List<byte[]>();
                var ok = decoder.Feed(bytes.ToReadOnlySpan(), frames);
                return new InboundFrames(frames, ok ? null : decoder.RejectedLength, bytes.Count);
            })
            .To(SessionSink(session));
        return Akka.Streams.Dsl.Flow.FromSinkAndSource(inbound, Outbound());
    }

    /// <summary>
    /// Where a transport's inbound frames go: to the session, one <see cref="InboundFrames"/> per
    /// read, behind the kill switch. Back-pressure by credit: at most <see cref="InboundWindow"/>
    /// chunks are with the session unhandled; the session gives them back with
    /// <see cref="InboundHandled"/>, a call rather than an ack message, so a session that keeps up
    /// costs its stream no message per read. <see cref="StreamCompleted"/> follows only once every
    /// chunk is handled (a login still running keeps the session alive for the inputs behind it);
    /// <see cref="StreamFailed"/> is sent at once.
    /// </summary>
    public Sink<InboundFrames, NotUsed> SessionSink(IActorRef session) =>
        Akka.Streams.Dsl.Flow.Create<InboundFrames>()
            .Via(_killSwitch.Flow<InboundFrames>())
            .To(Sink.FromGraph(new InboundSink(this, session)));

    /// <summary>
    /// The session has handled <paramref name="chunks"/> more of the <see cref="InboundFrames"/>
    /// it was sent: the stream may read that many more.
    /// </summary>
    public void InboundHandled(int chunks)
    {
        Action? wake;
        lock (_inboundLock)
        {
            _inboundUnhandled -= chunks;
            wake = _wakeInbound;
            _wakeInbound = null;
        }

        wake?.Invoke();
    }

    /// <summary>The session is gone: the inbound stream stops reading (and sends it nothing more).</summary>
    public void SessionStopped()
    {
        Action? wake;
        lock (_inboundLock)
        {
            _sessionStopped = true;
            wake = _stopInbound;
            _stopInbound = null;
        }

        wake?.Invoke();
    }

    /// <summary>
    /// For a transport that sends one message per frame (WebSocket): the queued frames one by one,
    /// without their length prefix, until <see cref="Complete"/> (or <see cref="Abort"/>). Used
    /// instead of <see cref="Outbound"/>, never with it.
    /// </summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> Messages([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var frames = new List<byte[]>(1);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            switch (TakeQueued(0, () => written.TrySetResult(), frames))
            {
                case Take.Done or Take.Aborted:
                    yield break;
                case Take.Waiting:
                    await written.Task.WaitAsync(ct);
                    written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    continue;
            }

            foreach (var frame in frames)
            {
                yield return frame.AsMemory(Frame.HeaderBytes);
            }

            frames.Clear();
        }
    }

    /// <summary>What else <see cref="Abort"/> must do for this transport (a WebSocket's own abort).</summary>
    public void OnAbort(Action abort) => _abortTransport = abort;

    /// <summary>
    /// Queues a frame, from any thread: <see cref="WriteResult.Full"/> (and nothing queued) when
    /// that would pass the bound, <see cref="WriteResult.Closed"/> after the last frame or an abort.
    /// </summary>
    public WriteResult Write(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        Action? wake;
        lock (_lock)
        {
            if (_completed)
            {
                return WriteResult.Closed;
            }

            if (_queuedBytes + frame.Length > _maxQueuedBytes)
            {
                return WriteResult.Full;
            }

            wake = EnqueueLocked(frame);
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
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }

            wake = EnqueueLocked(frame);
            _completed = true;
        }

        wake?.Invoke();
        _metrics?.Out(frame.Length);
    }

    /// <summary>No more frames: the socket's write side closes after the queue drains.</summary>
    public void Complete() => Close(aborted: null);

    /// <summary>
    /// Drops everything queued and aborts the connection now (a reset): for a client that stopped
    /// reading, whose queue and socket buffers must not hold memory any longer.
    /// </summary>
    public void Abort(string why)
    {
        var reason = new IOException(why);
        Close(reason);
        _killSwitch.Abort(reason);
        _abortTransport?.Invoke();
    }

    /// <summary>
    /// For the one reader: takes the oldest queued frame and those after it while the total stays
    /// within <paramref name="maxBytes"/> (one frame whatever its size; 0 takes one frame).
    /// When nothing is queued, <paramref name="wake"/> is kept and called once, from the writer's
    /// thread, by the next write, completion or abort.
    /// </summary>
    internal Take TakeQueued(long maxBytes, Action wake, List<byte[]> into)
    {
        lock (_lock)
        {
            if (_aborted is not null)
            {
                return Take.Aborted;
            }

            if (_queue.Count == 0)
            {
                if (_completed)
                {
                    return Take.Done;
                }

                _wakeReader = wake;
                return Take.Waiting;
            }

            var bytes = 0L;
            do
            {
                var frame = _queue.Dequeue();
                bytes += frame.Length;
                into.Add(frame);
            }
            while (_queue.Count > 0 && bytes + _queue.Peek().Length <= maxBytes);

            Interlocked.Add(ref _queuedBytes, -bytes);
            return Take.Taken;
        }
    }

    private IOException? AbortReason
    {
        get
        {
            lock (_lock)
            {
                return _aborted;
            }
        }
    }

    private Action? EnqueueLocked(byte[] frame)
    {
        _queue.Enqueue(frame);
        Interlocked.Add(ref _queuedBytes, frame.Length);
        return TakeWakeLocked();
    }

    private Action? TakeWakeLocked()
    {
        var wake = _wakeReader;
        _wakeReader = null;
        return wake;
    }

    private void Close(IOException? aborted)
    {
        Action? wake;
        lock (_lock)
        {
            _completed = true;
            if (aborted is not null)
            {
                _aborted ??= aborted;
                _queue.Clear();
                Interlocked.Exchange(ref _queuedBytes, 0);
            }

            wake = TakeWakeLocked();
        }

        wake?.Invoke();
    }

    /// <summary>
    /// Sends each chunk to the session while fewer than <see cref="InboundWindow"/> are unhandled;
    /// otherwise waits for <see cref="InboundHandled"/> to wake it (one message to the stream's actor).
    /// </summary>
    private sealed class InboundSink(ClientConnection connection, IActorRef session) : GraphStage<SinkShape<InboundFrames>>
    {
        private readonly ClientConnection _connection = connection;
        private readonly IActorRef _session = session;
        private readonly Inlet<InboundFrames> _in = new("connection.in");

        public override SinkShape<InboundFrames> Shape => new(_in);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

        private sealed class Logic : InGraphStageLogic
        {
            private readonly InboundSink _stage;
            private readonly Action _wake;
            private bool _finishing;

            public Logic(InboundSink stage)
                : base(stage.Shape)
            {
                _stage = stage;
                _wake = GetAsyncCallback(Proceed);
                SetHandler(stage._in, this);
            }

            public override void PreStart()
            {
                // Alive after the client's end of the stream, until the session has handled the
                // chunks before it (or has stopped).
                SetKeepGoing(true);
                lock (_stage._connection._inboundLock)
                {
                    _stage._connection._stopInbound = _wake;
                }

                Proceed();
            }

            public override void OnPush()
            {
                lock (_stage._connection._inboundLock)
                {
                    _stage._connection._inboundUnhandled++;
                }

                _stage._session.Tell(Grab(_stage._in), ActorRefs.NoSender);
                Proceed();
            }

            public override void OnUpstreamFinish()
            {
                _finishing = true;
                Proceed();
            }

            public override void OnUpstreamFailure(Exception e)
            {
                _stage._session.Tell(new StreamFailed(e), ActorRefs.NoSender);
                FailStage(e);
            }

            /// <summary>Reads on while the session has room; at the end, completes once it has handled everything.</summary>
            private void Proceed()
            {
                var connection = _stage._connection;
                lock (connection._inboundLock)
                {
                    if (connection._sessionStopped)
                    {
                        CompleteStage();
                        return;
                    }

                    var room = _finishing ? connection._inboundUnhandled == 0 : connection._inboundUnhandled < InboundWindow;
                    if (!room)
                    {
                        connection._wakeInbound = _wake;
                        return;
                    }
                }

                if (_finishing)
                {
                    _stage._session.Tell(StreamCompleted.Instance, ActorRefs.NoSender);
                    CompleteStage();
                }
                else if (!HasBeenPulled(_stage._in))
                {
                    Pull(_stage._in);
                }
            }
        }
    }

    /// <summary>
    /// The stream's end of the queue: on each pull it takes what is queued, joined into one write
    /// of up to max-write-bytes; when nothing is, the next write wakes it through one async
    /// callback (one message to the stream's actor).
    /// </summary>
    private sealed class OutboundSource(ClientConnection connection) : GraphStage<SourceShape<ByteString>>
    {
        private readonly ClientConnection _connection = connection;
        private readonly Outlet<ByteString> _out = new("connection.out");

        public override SourceShape<ByteString> Shape => new(_out);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

        private sealed class Logic : OutGraphStageLogic
        {
            private readonly OutboundSource _stage;
            private readonly List<byte[]> _frames = [];
            private readonly Action _wake;

            public Logic(OutboundSource stage)
                : base(stage.Shape)
            {
                _stage = stage;
                _wake = GetAsyncCallback(() =>
                {
                    if (IsAvailable(_stage._out))
                    {
                        OnPull();
                    }
                });
                SetHandler(stage._out, this);
            }

            public override void OnPull()
            {
                switch (_stage._connection.TakeQueued(_stage._connection._maxWriteBytes, _wake, _frames))
                {
                    case Take.Taken:
                        Push(_stage._out, _frames.Count == 1
                            ? ByteString.FromBytes(_frames[0])
                            : ByteString.CopyFrom(_frames.Select(f => new ArraySegment<byte>(f))));
                        _frames.Clear();
                        break;
                    case Take.Done:
                        CompleteStage();
                        break;
                    case Take.Aborted:
                        // Failed, not completed: a completion would close the socket with a FIN
                        // if it reached the TCP stage before the kill switch's failure does.
                        FailStage(_stage._connection.AbortReason!);
                        break;
                }
            }
        }
    }
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
    /// Of <paramref name="sessions"/>, how many have their connection on this node, and how many
    /// of those have more than <paramref name="bytes"/> queued unsent: players the node cannot
    /// deliver to in time (time dilation counts them).
    /// </summary>
    public (int Local, int Behind) Backlog(IEnumerable<IActorRef> sessions, long bytes)
    {
        var (count, behind) = (0, 0);
        foreach (var session in sessions)
        {
            if (session.Path.Address.HasLocalScope && local.TryGet(session, out var connection))
            {
                count++;
                if (connection.QueuedBytes > bytes)
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
/// for all its players here (<see cref="RelayFrame"/>) and writes it to each of their connections.
/// </summary>
public sealed class FrameRelay : ReceiveActor
{
    public const string Name = "frame-relay";

    public FrameRelay()
    {
        var delivery = new FrameDelivery(Context.System);
        Receive<RelayFrame>(relay =>
        {
            foreach (var session in relay.Sessions)
            {
                // Sessions named in a relay live here; one that is gone gets a dead letter, as before.
                delivery.TryWriteLocal(relay.Frame, session);
            }
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new FrameRelay());
}
