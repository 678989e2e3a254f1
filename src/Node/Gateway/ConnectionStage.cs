using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Stage;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// A TCP connection's whole stream on the node's side, in one stage: what the TCP stage reads
/// goes to the session, what the <see cref="ClientConnection"/>'s queue holds goes to the TCP
/// stage. It does what eight stages did before (a decoding Select, a kill switch and
/// Sink.ActorRefWithAck in; ChannelSource, two Selects, BatchWeighted and a kill switch out) with
/// the same behaviour, because Akka.Streams fuses and materializes a connection's graph anew for
/// every connection, on the one gateway actor, at a cost that grows with its stages: a storm of
/// logins queued behind it (bench/README.md, issue 13).
/// <list type="bullet">
/// <item>In, as Sink.ActorRefWithAck: <see cref="StreamInit"/> first, then one
/// <see cref="InboundFrames"/> per read, the next only after the session's <see cref="StreamAck"/>;
/// up to <see cref="MaxBufferedReads"/> reads are taken from TCP meanwhile. The end of the input
/// reaches the session as <see cref="StreamCompleted"/> or <see cref="StreamFailed"/> after every
/// read before it; when the session stops, reading stops.</item>
/// <item>Out: queued frames are joined into writes of up to max-write-bytes (the TCP stage waits
/// for an ack per write); a frame leaves the queue's count when it is taken for a write. The
/// write side completes after the queue completes and drains.</item>
/// <item>Once the session has stopped, what it left queued has <c>writeBound</c> to be written
/// (a client that reads nothing any more would hold it for ever); then the stage fails and TCP
/// resets the connection. It is the backstop the TCP stage's idle timeout was, without a
/// repeating timer and five stages for every connection.</item>
/// <item><see cref="ClientConnection.Abort"/> fails the stage at once, whatever either side is
/// doing: the TCP stage then resets the connection, and the session gets <see cref="StreamFailed"/>.</item>
/// </list>
/// </summary>
public sealed class ConnectionStage : GraphStage<FlowShape<ByteString, ByteString>>
{
    /// <summary>Reads taken from TCP while the session works: Sink.ActorRefWithAck's default input buffer.</summary>
    public const int MaxBufferedReads = 16;

    private readonly ClientConnection _connection;
    private readonly IActorRef _session;
    private readonly int _maxFrameBytes;
    private readonly TimeSpan _writeBound;

    public ConnectionStage(ClientConnection connection, IActorRef session, int maxFrameBytes, TimeSpan writeBound)
    {
        _connection = connection;
        _session = session;
        _maxFrameBytes = maxFrameBytes;
        _writeBound = writeBound;
        Shape = new FlowShape<ByteString, ByteString>(In, Out);
    }

    public Inlet<ByteString> In { get; } = new("connection.in");

    public Outlet<ByteString> Out { get; } = new("connection.out");

    public override FlowShape<ByteString, ByteString> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private const string WriteBoundTimer = "write-bound";
        private readonly ConnectionStage _stage;
        private readonly ClientConnection _connection;
        private readonly IActorRef _session;
        private readonly FrameDecoder _decoder;
        private readonly Queue<InboundFrames> _reads = new();
        private readonly Action _wakeWhenQueued;
        private IActorRef _self = ActorRefs.Nobody;
        private bool _sessionReady;
        private bool _inputEnded;
        private Exception? _inputFailure;
        private bool _inputSignalled;
        private bool _outputDone;
        private byte[]? _heldFrame;

        public Logic(ConnectionStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _connection = stage._connection;
            _session = stage._session;
            _decoder = new FrameDecoder(stage._maxFrameBytes);
            // The wake-up goes through the thread pool's global queue, in turn with the sockets'
            // completions (the clients' inputs), not straight to this stage from the writer's thread.
            // Akka's dispatcher queues an actor's run on the calling worker's own queue, which that
            // worker empties last-in first-out before it looks at the global queue: a sector's tick
            // wakes the connection of every player it writes to, and woken in place all of those
            // would run before any input waiting there. Measured: capacity-1000's p99 input-to-state
            // was 318-1,308 ms woken in place against 103-155 ms before this wake-up existed
            // (bench/results/20261204T1913Z-queue-wake-ab/).
            var wake = GetAsyncCallback(PushOrWait);
            _wakeWhenQueued = () => ThreadPool.UnsafeQueueUserWorkItem(static w => w(), wake, preferLocal: false);
            SetHandler(stage.In, OnPush, OnInputFinished, OnInputFailed);
            SetHandler(stage.Out, PushOrWait, _ => OnOutputCancelled());
        }

        public override void PreStart()
        {
            SetKeepGoing(true);
            _self = GetStageActor(OnStageMessage).Ref;
            StageActor.Watch(_session);
            _session.Tell(StreamInit.Instance, _self);
            Pull(_stage.In);
            if (_connection.OnAbort(GetAsyncCallback<Exception>(OnAborted)) is { } aborted)
            {
                OnAborted(aborted);
            }
        }

        public override void PostStop()
        {
            _connection.Detach();
            if (!_inputSignalled)
            {
                _inputSignalled = true;
                _session.Tell(new StreamFailed(new AbruptStageTerminationException(this)), _self);
            }
        }

        // ---- in: TCP reads to the session, one at a time, each after the session's ack ----
        private void OnPush()
        {
            var bytes = Grab(_stage.In);
            var frames = new List<byte[]>();
            var ok = _decoder.Feed(bytes.ToReadOnlySpan(), frames);
            _reads.Enqueue(new InboundFrames(frames, ok ? null : _decoder.RejectedLength, bytes.Count));
            if (_sessionReady)
            {
                SendRead();
            }

            if (_reads.Count < MaxBufferedReads)
            {
                Pull(_stage.In);
            }
        }

        private void OnInputFinished()
        {
            _inputEnded = true;
            SignalInputEndIfDone();
        }

        private void OnInputFailed(Exception cause)
        {
            _inputEnded = true;
            _inputFailure = cause;
            _reads.Clear();
            SignalInputEndIfDone();
        }

        private void OnStageMessage((IActorRef Sender, object Message) message)
        {
            switch (message.Message)
            {
                case StreamAck:
                    _sessionReady = true;
                    if (_reads.Count > 0)
                    {
                        var wasFull = _reads.Count >= MaxBufferedReads;
                        SendRead();
                        if (wasFull && !_inputEnded && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In))
                        {
                            Pull(_stage.In);
                        }
                    }

                    SignalInputEndIfDone();
                    break;
                case Terminated t when t.ActorRef.Equals(_session):
                    // The session is gone: nobody reads on. The write side ends with the queue,
                    // which the session completed (or aborted) when it stopped.
                    _inputSignalled = true;
                    _reads.Clear();
                    if (!IsClosed(_stage.In))
                    {
                        Cancel(_stage.In);
                    }

                    if (!_outputDone)
                    {
                        ScheduleOnce(WriteBoundTimer, _stage._writeBound);
                    }

                    CompleteIfDone();
                    break;
            }
        }

        private void SendRead()
        {
            _sessionReady = false;
            _session.Tell(_reads.Dequeue(), _self);
        }

        private void SignalInputEndIfDone()
        {
            if (!_inputEnded || _inputSignalled || _reads.Count > 0)
            {
                return;
            }

            _inputSignalled = true;
            _session.Tell(_inputFailure is null ? StreamCompleted.Instance : new StreamFailed(_inputFailure), _self);
            CompleteIfDone();
        }

        // ---- out: the connection's queue to TCP, joined into writes ----

        /// <summary>
        /// Pushes the frames queued now, joined up to max-write-bytes, when TCP wants a write; with
        /// none queued, the queue's next writer (or its completion, or an abort) calls this again
        /// through one message to the stage (<see cref="ClientConnection.TakeOrWait"/>).
        /// </summary>
        private void PushOrWait()
        {
            if (_outputDone || !IsAvailable(_stage.Out))
            {
                return;
            }

            var first = _heldFrame;
            _heldFrame = null;
            if (first is null)
            {
                switch (_connection.TakeOrWait(out first, _wakeWhenQueued, out var abortReason))
                {
                    case QueueTake.Waiting:
                        return;
                    case QueueTake.Aborted:
                        OnAborted(abortReason!);
                        return;
                    case QueueTake.Ended:
                        // The queue completed and is empty: the last frame is written; the write side closes.
                        _outputDone = true;
                        Complete(_stage.Out);
                        CompleteIfDone();
                        return;
                }
            }

            var size = (long)first.Length;
            List<byte[]>? batch = null;
            while (size < _connection.MaxWriteBytes && _connection.TryTake(out var next))
            {
                if (size + next.Length > _connection.MaxWriteBytes)
                {
                    _heldFrame = next;
                    break;
                }

                (batch ??= [first]).Add(next);
                size += next.Length;
            }

            Push(_stage.Out, batch is null ? ByteString.FromBytes(first) : ByteString.CopyFrom(batch.Select(f => new ArraySegment<byte>(f))));
        }

        private void OnOutputCancelled()
        {
            _outputDone = true;
            CompleteIfDone();
        }

        private void OnAborted(Exception reason)
        {
            if (!_inputSignalled)
            {
                _inputSignalled = true;
                _session.Tell(new StreamFailed(reason), _self);
            }

            FailStage(reason);
        }

        protected override void OnTimer(object timerKey)
        {
            if (!_outputDone)
            {
                FailStage(new TimeoutException($"the client did not take the last frames within {_stage._writeBound} of its session's end"));
            }
        }

        private void CompleteIfDone()
        {
            if (_outputDone && _inputSignalled)
            {
                CompleteStage();
            }
        }
    }
}
