using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Akkagame.V1;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Messages;
using AkkaGame.Game.Sessions;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Node.Sessions;

/// <summary>
/// One per client connection: handshake and login, rate limit, ping, timeouts; forwards
/// inputs to the player's sector and player entities and writes their answers to the client.
/// It owns nothing durable, so losing it loses nothing: the client resumes with its token.
/// </summary>
public sealed partial class SessionActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SessionContext _ctx;
    private readonly ConnectionOutbound _outbound;
    private readonly string _connectionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
    private readonly SessionGate _gate;
    private readonly Queue<byte[]> _pendingFrames = new();
    private readonly long _openedMs = NowMs;
    private IActorRef? _inbound;

    /// <summary>Input read and dropped after the last frame (bounded by close-linger-bytes).</summary>
    private long _discardedBytes;
    private Phase _phase = Phase.AwaitingHello;
    private string? _playerId;
    private string? _name;
    private string? _sectorId;
    private IActorRef? _sector;
    private (float X, float Y)? _pendingArrival;
    private bool _left;

    public SessionActor(SessionContext ctx, ConnectionOutbound outbound)
    {
        _ctx = ctx;
        _outbound = outbound;
        _gate = new SessionGate(ctx.Settings.SessionRules, ctx.Tokens, NowMs);

        Receive<StreamInit>(_ =>
        {
            _inbound = Sender;
            Sender.Tell(StreamAck.Instance);
        });
        Receive<InboundFrames>(OnInbound);
        Receive<StreamCompleted>(_ => Context.Stop(Self));
        Receive<StreamFailed>(f =>
        {
            _log.Debug("Connection {0} failed: {1}", _connectionId, f.Cause.Message);
            Context.Stop(Self);
        });
        Receive<LoginResult>(OnLoginResult);
        Receive<SectorJoined>(OnSectorJoined);
        Receive<DeliverFrame>(d => Write(d.Frame));
        Receive<InputRejected>(r => Write(Replies.Error(r.Seq, r.Error, r.Reason, fatal: false)));
        Receive<MineApproved>(OnMineApproved);
        Receive<CreditsResult>(OnCreditsResult);
        Receive<JumpApproved>(OnJumpApproved);
        Receive<JumpResult>(OnJumpResult);
        Receive<SessionReplaced>(_ => CloseWithFatal(Replies.SessionReplaced(), ErrorCode.SessionReplaced));
        Receive<NodeShuttingDown>(OnNodeShuttingDown);
        // SESSION_REPLACED is the protocol's one fatal code that tells GameClient not to log in
        // again by itself (PROTOCOL.md has no code of its own for a kick); the text says why.
        Receive<KickSession>(k => Fatal(0, ErrorCode.SessionReplaced, "kicked by an operator: " + k.Reason));
        Receive<GetSessionInfo>(_ => Sender.Tell(new SessionInfo(_connectionId, _playerId, _name, _sectorId, _phase.ToString(), TimeSpan.FromMilliseconds(NowMs - _openedMs))));
        Receive<Announce>(a => Write(Replies.Announcement(a.Text)));
        Receive<Terminated>(OnTerminated);
        Receive<Rejoin>(_ =>
        {
            if (_sector is null)
            {
                JoinSector(_pendingArrival);
            }
        });
        Receive<CheckTimeouts>(_ => OnCheckTimeouts());
        Receive<CloseNow>(_ =>
        {
            // The linger is over: whatever the client has not read by now it will not read.
            _outbound.Abort("closed after the linger");
            Context.Stop(Self);
        });
    }

    private enum Phase { AwaitingHello, LoggingIn, Playing, Closing }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// How long a session waits for its sector to answer a join before asking again. A join sent
    /// toward a node that just died is lost; the next one finds the sector's new home.
    /// </summary>
    private static readonly TimeSpan RejoinRetry = TimeSpan.FromMilliseconds(500);

    private static long NowMs => Environment.TickCount64;

    public static Props Props(SessionContext ctx, ConnectionOutbound outbound) =>
        Akka.Actor.Props.Create(() => new SessionActor(ctx, outbound));

    protected override void PreStart()
    {
        _ctx.Metrics.Opened();
        Timers.StartPeriodicTimer(nameof(CheckTimeouts), CheckTimeouts.Instance, TimeSpan.FromMilliseconds(250));
    }

    protected override void PostStop()
    {
        _ctx.Metrics.Closed();
        _outbound.Complete();
        if (_playerId is not null && !_left)
        {
            if (_sectorId is not null)
            {
                _ctx.Sectors.Tell(new SessionLost(_sectorId, _playerId, Self));
            }

            _ctx.Players.Tell(new DetachSession(_playerId, Self));
        }
    }

    private void OnInbound(InboundFrames chunk)
    {
        if (_phase == Phase.Closing)
        {
            // After the last frame: read and drop what the client still sends, so closing does not
            // reset the connection under its unread last frame. Past close-linger-bytes the node
            // stops reading instead (TCP holds the flood back) until the linger ends.
            _discardedBytes += chunk.Bytes;
            if (_discardedBytes <= _ctx.Settings.Gateway.CloseLingerBytes)
            {
                _inbound?.Tell(StreamAck.Instance);
            }

            return;
        }

        foreach (var frame in chunk.Frames)
        {
            _pendingFrames.Enqueue(frame);
        }

        if (chunk.BadLength is { } length)
        {
            // Frames before the bad header are still served, then the connection ends.
            ProcessPending();
            Decided(_gate.BadLength(length));
            return;
        }

        ProcessPending();
    }

    /// <summary>Handles queued frames until done or until login must finish first; acks the stream when done.</summary>
    private void ProcessPending()
    {
        while (_pendingFrames.Count > 0 && _phase is Phase.AwaitingHello or Phase.Playing)
        {
            Handle(_pendingFrames.Dequeue());
        }

        if (_phase == Phase.Closing)
        {
            _pendingFrames.Clear();
        }

        // Acked only when every frame is handled: during login the stream waits, so inputs sent
        // right after Hello are applied after the login, in order.
        if (_pendingFrames.Count == 0 && _phase != Phase.LoggingIn)
        {
            _inbound?.Tell(StreamAck.Instance);
        }
    }

    private void Handle(byte[] frame)
    {
        _ctx.Metrics.In(frame.Length + Frame.HeaderBytes);
        Decided(_gate.Accept(frame, NowMs));
    }

    /// <summary>Carries out what the core's <see cref="SessionGate"/> decided about a frame.</summary>
    private void Decided(GateResult result)
    {
        switch (result.Action)
        {
            case GateAction.Reply:
                if (result.Code == ErrorCode.RateLimited)
                {
                    _ctx.Metrics.RejectedMessage();
                }

                Write(result.Frame!);
                break;
            case GateAction.Fatal:
                CloseWithFatal(result.Frame!, result.Code);
                break;
            case GateAction.Login:
                Login(result.Seq, result.Identity!);
                break;
            case GateAction.Input:
                Route(result.Seq, result.Message!, result.Frame);
                break;
        }
    }

    /// <summary>A validated game input: to the player's sector (Leave also ends the session with its Goodbye).</summary>
    private void Route(uint seq, ClientMessage message, byte[]? goodbye)
    {
        switch (message.BodyCase)
        {
            case ClientMessage.BodyOneofCase.MoveTo:
                // The hottest message: straight to the joined sector entity, skipping the region and
                // shard hops. If that sector is handing off, a move may be dropped; the client's next
                // MoveTo replaces it, and last_input_seq shows which one applied. Until the sector is
                // joined (or after it stopped) moves go through the region, which buffers them.
                (_sector ?? _ctx.Sectors).Tell(new MoveShip(_sectorId!, _playerId!, seq, message.MoveTo.X, message.MoveTo.Y), Self);
                break;
            case ClientMessage.BodyOneofCase.Chat:
                _ctx.Sectors.Tell(new PostChat(_sectorId!, _playerId!, seq, message.Chat.Text), Self);
                break;
            case ClientMessage.BodyOneofCase.Mine:
                _ctx.Sectors.Tell(new MineAsteroid(_sectorId!, _playerId!, seq, message.Mine.AsteroidId), Self);
                break;
            case ClientMessage.BodyOneofCase.Jump:
                _ctx.Sectors.Tell(new JumpGate(_sectorId!, _playerId!, seq, message.Jump.GateId), Self);
                break;
            case ClientMessage.BodyOneofCase.Leave:
                _left = true;
                _ctx.Sectors.Tell(new LeaveSector(_sectorId!, _playerId!));
                _ctx.Players.Tell(new DetachSession(_playerId!, Self));
                CloseWith(goodbye!);
                break;
        }
    }

    private void OnMineApproved(MineApproved approved)
    {
        // The operation id is stable across retries of this mine, so the player credits it once.
        var operation = $"mine:{_connectionId}:{approved.Seq}";
        var request = new AddCredits(_playerId!, operation, approved.Amount, "mine");
        var gateway = _ctx.Settings.Gateway;
        EntityAsk.WithRetries<CreditsChanged>(_ctx.Players, request, gateway.EntityAskAttempts, gateway.EntityAskTimeout)
            .PipeTo(Self, success: c => new CreditsResult(approved.Seq, c, null), failure: e => new CreditsResult(approved.Seq, null, e));
    }

    private void OnCreditsResult(CreditsResult result)
    {
        if (result.Credits is { } c)
        {
            Write(Replies.Credits(result.Seq, c.Balance, c.Delta, c.Reason));
        }
        else
        {
            _log.Error(result.Failure, "Player {0}: crediting mine {1} failed", _playerId, result.Seq);
            Write(Replies.Error(result.Seq, ErrorCode.Internal, "credits could not be stored; try again", fatal: false));
        }
    }

    private void OnJumpApproved(JumpApproved approved)
    {
        // The ship has left the old sector: the session follows it to the new one.
        if (_sector is not null)
        {
            Context.Unwatch(_sector);
            _sector = null;
        }

        var from = _sectorId!;
        _sectorId = approved.ToSector;
        var gateway = _ctx.Settings.Gateway;
        EntityAsk.WithRetries<PlayerRelocated>(_ctx.Players, new RelocatePlayer(_playerId!, approved.ToSector), gateway.EntityAskAttempts, gateway.EntityAskTimeout)
            .PipeTo(Self, success: _ => new JumpResult(approved, from, null), failure: e => new JumpResult(approved, from, e));
    }

    private void OnJumpResult(JumpResult result)
    {
        if (result.Failure is not null)
        {
            _log.Error(result.Failure, "Player {0}: storing jump to {1} failed", _playerId, result.Approved.ToSector);
            Fatal(result.Approved.Seq, ErrorCode.Internal, "the jump could not be stored; reconnect to continue");
            return;
        }

        Write(Replies.Jumped(result.Approved.Seq, result.From, result.Approved.ToSector));
        JoinSector((result.Approved.X, result.Approved.Y));
    }

    private void OnSectorJoined(SectorJoined joined)
    {
        if (joined.SectorId != _sectorId || _phase == Phase.Closing)
        {
            return;
        }

        if (_sector is not null && !_sector.Equals(Sender))
        {
            Context.Unwatch(_sector);
        }

        _sector = Sender;
        Context.Watch(_sector);
        Timers.Cancel(nameof(Rejoin));
        Write(joined.SnapshotFrame);
    }

    private void OnTerminated(Terminated terminated)
    {
        if (terminated.ActorRef.Equals(_sector) && _phase == Phase.Playing)
        {
            // The sector stopped (rebalance, crash, passivation): join again through the region,
            // which starts it from persistence wherever it lives now.
            _sector = null;
            Timers.StartSingleTimer(nameof(Rejoin), Rejoin.Instance, TimeSpan.FromMilliseconds(100));
        }
    }

    private void OnNodeShuttingDown(NodeShuttingDown shutdown)
    {
        if (_phase == Phase.Closing)
        {
            return;
        }

        CloseWith(Replies.ShuttingDown(shutdown.ReconnectAfterMs, "this node is shutting down; reconnect with your resume token"));
    }

    private void OnCheckTimeouts()
    {
        // While a login is under way the gate already counts the session as playing; the idle
        // timeout is far longer than the login budget.
        if (_phase is Phase.AwaitingHello or Phase.Playing && _gate.CheckTimeouts(NowMs) is { } fatal)
        {
            CloseWithFatal(fatal, ErrorCode.IdleTimeout);
        }
    }

    private void JoinSector((float X, float Y)? arrival)
    {
        if (_phase == Phase.Closing || _sectorId is null || _playerId is null)
        {
            return;
        }

        _ctx.Sectors.Tell(new JoinSector(_sectorId, _playerId, _name!, Self, arrival?.X, arrival?.Y), Self);

        // Until the sector answers (it may be starting on another node after a failure), ask
        // again; joining is idempotent, a ship already there is re-attached where it is.
        _pendingArrival = arrival;
        Timers.StartSingleTimer(nameof(Rejoin), Rejoin.Instance, RejoinRetry);
    }

    /// <summary>Queues a frame; a client that lets too much pile up is disconnected.</summary>
    private void Write(byte[] frame)
    {
        if (_phase == Phase.Closing)
        {
            return;
        }

        if (!_outbound.TryWrite(frame))
        {
            AbortSlowConsumer();
            return;
        }

        _ctx.Metrics.Out(frame.Length);
    }

    /// <summary>
    /// The client stopped reading and its queue passed the bound: PROTOCOL.md Behaviour 12. No
    /// SLOW_CONSUMER frame is queued: it would wait behind everything the client has not read and
    /// could not arrive before the reset (PROTOCOL.md makes it best effort). The connection is
    /// aborted at once, which frees the queue and the socket's buffers; the player goes into
    /// reconnect grace as with any disconnect.
    /// </summary>
    private void AbortSlowConsumer()
    {
        _log.Info("Connection {0} (player {1}): slow consumer, {2} bytes queued; aborting the connection", _connectionId, _playerId, _outbound.QueuedBytes);
        _ctx.Metrics.Fatal();
        _phase = Phase.Closing;
        _pendingFrames.Clear();
        _outbound.Abort("slow consumer");
        Context.Stop(Self);
    }

    /// <summary>A fatal error is the last frame on the connection; then the connection closes.</summary>
    private void Fatal(uint ack, ErrorCode code, string text) => CloseWithFatal(Replies.Error(ack, code, text, fatal: true), code);

    private void CloseWithFatal(byte[] frame, ErrorCode code)
    {
        if (_phase == Phase.Closing)
        {
            return;
        }

        _ctx.Metrics.Fatal();
        _log.Debug("Connection {0} (player {1}): fatal {2}", _connectionId, _playerId, code);
        CloseWith(frame);
    }

    /// <summary>Sends a last frame, completes the write side and waits (bounded) for the client to go.</summary>
    private void CloseWith(byte[] lastFrame)
    {
        _phase = Phase.Closing;
        _gate.Close();
        _pendingFrames.Clear();
        _outbound.WriteFinal(lastFrame);
        Timers.Cancel(nameof(CheckTimeouts));
        Timers.StartSingleTimer(nameof(CloseNow), CloseNow.Instance, _ctx.Settings.Gateway.CloseLinger);
    }

    private sealed record CreditsResult(uint Seq, CreditsChanged? Credits, Exception? Failure);

    private sealed record JumpResult(JumpApproved Approved, string From, Exception? Failure);

    private sealed class Rejoin
    {
        public static readonly Rejoin Instance = new();
    }

    private sealed class CheckTimeouts
    {
        public static readonly CheckTimeouts Instance = new();
    }

    private sealed class CloseNow
    {
        public static readonly CloseNow Instance = new();
    }
}
