using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using AkkaGame.Game.Sessions;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Messages;
using AkkaGame.Protocol.Framing;
using Akkagame.V1;

namespace AkkaGame.Node.Sessions;

/// <summary>
/// One per client connection: a thin shell around the core's <see cref="SessionGate"/>, which
/// decides what each frame means (login forms, rate limit, ping, validation, timeouts). The
/// actor does what the core cannot: it loads the player entity, forwards inputs to the sector
/// and player entities, and writes their answers. Its phases are behaviours (awaiting Hello,
/// logging in, playing, closing), each with the record of what it has, so a playing session
/// always has its player and sector. It owns nothing durable: the client resumes with its token.
/// <para>
/// This file is the hot path, frames in to the sector and frames out to the connection. The
/// other parts: <c>.Login</c> (Hello to Welcome), <c>.Joining</c> (finding the sector again
/// after it moved), <c>.Actions</c> (mine and jump, stored before they are answered),
/// <c>.Closing</c> (last frames and a graceful close), <c>.Phases</c> (what each phase holds).
/// </para>
/// </summary>
public sealed partial class SessionActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SessionContext _ctx;
    private readonly ClientConnection _connection;
    private readonly string _connectionId = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
    private readonly SessionGate _gate;
    private readonly Queue<byte[]> _pendingFrames = new();
    private readonly long _openedMs = NowMs;
    private IActorRef? _inbound;
    private SessionPhase _phase = new AwaitingHello();

    /// <summary>Input read and dropped after the last frame (bounded by close-linger-bytes).</summary>
    private long _discardedBytes;

    public SessionActor(SessionContext ctx, ClientConnection connection)
    {
        _ctx = ctx;
        _connection = connection;
        _gate = new SessionGate(ctx.Settings.SessionRules, ctx.Tokens, NowMs);
        Open();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private static long NowMs => Environment.TickCount64;

    public static Props Props(SessionContext ctx, ClientConnection connection) =>
        Akka.Actor.Props.Create(() => new SessionActor(ctx, connection));

    protected override void PreStart()
    {
        _ctx.Metrics.Opened();
        LocalConnections.For(Context.System).Add(Self, _connection);
        ScheduleTimeoutCheck();
    }

    protected override void PostStop()
    {
        _ctx.Metrics.Closed();
        LocalConnections.For(Context.System).Remove(Self);
        _connection.Complete();
        if (PlayerOf(_phase) is { Left: false } player)
        {
            _ctx.Sectors.Tell(new SessionLost(player.SectorId, player.PlayerId, Self));
            _ctx.Players.Tell(new DetachSession(player.PlayerId, Self));
        }
    }

    /// <summary>What every phase answers: the stream's own messages and the operators' question.</summary>
    private void Common()
    {
        Receive<StreamInit>(_ =>
        {
            _inbound = Sender;
            Sender.Tell(StreamAck.Instance);
        });
        Receive<StreamCompleted>(_ => Context.Stop(Self));
        Receive<StreamFailed>(f =>
        {
            _log.Debug("Connection {0} failed: {1}", _connectionId, f.Cause.Message);
            Context.Stop(Self);
        });
        Receive<GetSessionInfo>(_ =>
        {
            var player = PlayerOf(_phase);
            Sender.Tell(new SessionInfo(_connectionId, player?.PlayerId, player?.Name, player?.SectorId, _phase.PhaseName, TimeSpan.FromMilliseconds(NowMs - _openedMs)));
        });
    }

    /// <summary>Awaiting Hello, logging in and playing: frames are read, and the node may close the session.</summary>
    private void Open()
    {
        Common();
        Receive<InboundFrames>(OnInbound);
        Receive<CheckTimeouts>(_ => OnCheckTimeouts());
        Receive<SessionReplaced>(_ => CloseWithFatal(Replies.SessionReplaced(), ErrorCode.SessionReplaced));

        // SESSION_REPLACED is the protocol's one fatal code that tells GameClient not to log in
        // again by itself (PROTOCOL.md has no code of its own for a kick); the text says why.
        Receive<KickSession>(k => Fatal(0, ErrorCode.SessionReplaced, "kicked by an operator: " + k.Reason));
        Receive<NodeShuttingDown>(s => CloseWith(Replies.ShuttingDown(s.ReconnectAfterMs, "this node is shutting down; reconnect with your resume token")));
        Receive<Announce>(a => Write(Replies.Announcement(a.Text)));

        // A sector's frame, written straight to the connection, found it full (FrameDelivery).
        Receive<OutboundFull>(_ => AbortSlowConsumer());
    }

    private void OnInbound(InboundFrames chunk)
    {
        foreach (var frame in chunk.Frames)
        {
            _pendingFrames.Enqueue(frame);
        }

        ProcessPending();
        if (chunk.BadLength is { } length && _phase is not Closed)
        {
            // Frames before the bad header were served; then the connection ends.
            Decided(_gate.BadLength(length));
        }
    }

    /// <summary>Handles queued frames until done or until login must finish first; acks the stream when done.</summary>
    private void ProcessPending()
    {
        while (_pendingFrames.Count > 0 && _phase is AwaitingHello or Playing)
        {
            var frame = _pendingFrames.Dequeue();
            _ctx.Metrics.In(frame.Length + Frame.HeaderBytes);
            Decided(_gate.Accept(frame, NowMs));
        }

        // Acked only when every frame is handled: during login the stream waits, so inputs sent
        // right after Hello are applied after the login, in order.
        if (_pendingFrames.Count == 0 && _phase is AwaitingHello or Playing)
        {
            _inbound?.Tell(StreamAck.Instance);
        }
    }

    /// <summary>Carries out what the core's <see cref="SessionGate"/> decided about a frame.</summary>
    private void Decided(GateResult result)
    {
        switch (result.Action)
        {
            case GateAction.Reply:
                if (result.Code != ErrorCode.ErrorUnspecified)
                {
                    _ctx.Metrics.ErrorAnswered(result.Code);
                }

                Write(result.Frame!);
                break;
            case GateAction.Fatal:
                CloseWithFatal(result.Frame!, result.Code);
                break;
            case GateAction.Login:
                Login(result.Seq, result.Identity!);
                break;
            case GateAction.Input when _phase is Playing playing:
                Route(playing, result.Seq, result.Message!, result.Frame);
                break;
        }
    }

    private void OnCheckTimeouts()
    {
        // While a login is under way the gate already counts the session as playing; the idle
        // timeout is far longer than the login budget.
        if (_phase is AwaitingHello or Playing && _gate.CheckTimeouts(NowMs) is { } fatal)
        {
            CloseWithFatal(fatal, ErrorCode.IdleTimeout);
            return;
        }

        ScheduleTimeoutCheck();
    }

    /// <summary>
    /// One timer per session, set for the gate's next deadline (the hello timeout, or the idle
    /// timeout from the last frame) instead of a check every 250 ms: a session that keeps talking
    /// is looked at about once an idle timeout, so 10,000 quiet players cost no timer traffic.
    /// </summary>
    private void ScheduleTimeoutCheck()
    {
        if (_gate.NextCheckMs is { } at)
        {
            Timers.StartSingleTimer(nameof(CheckTimeouts), CheckTimeouts.Instance, TimeSpan.FromMilliseconds(Math.Max(10, at - NowMs)));
        }
    }

    private void PlayingBehaviour(Playing playing)
    {
        Open();
        Receive<SectorJoined>(joined => OnSectorJoined(playing, joined));
        Receive<DeliverFrame>(d => Write(d.Frame));
        Receive<InputRejected>(r =>
        {
            _ctx.Metrics.ErrorAnswered(r.Error);
            Write(Replies.Error(r.Seq, r.Error, r.Reason, fatal: false));
        });
        Receive<MineApproved>(approved => OnMineApproved(playing, approved));
        Receive<CreditsResult>(result => OnCreditsResult(playing, result));
        Receive<JumpApproved>(approved => OnJumpApproved(playing, approved));
        Receive<JumpResult>(result => OnJumpResult(playing, result));
        Receive<Terminated>(terminated => OnTerminated(playing, terminated));
        Receive<Rejoin>(_ =>
        {
            if (playing.Sector is null)
            {
                JoinSector(playing, playing.PendingArrival);
            }
        });
    }

    /// <summary>A validated game input: to the player's sector (Leave also ends the session with its Goodbye).</summary>
    private void Route(Playing playing, uint seq, ClientMessage message, byte[]? goodbye)
    {
        switch (message.BodyCase)
        {
            case ClientMessage.BodyOneofCase.MoveTo:
                // The hottest message: straight to the joined sector entity, skipping the region and
                // shard hops. If that sector is handing off, a move may be dropped; the client's next
                // MoveTo replaces it, and last_input_seq shows which one applied. Until the sector is
                // joined (or after it stopped) moves go through the region, which buffers them.
                (playing.Sector ?? _ctx.Sectors).Tell(new MoveShip(playing.SectorId, playing.PlayerId, seq, message.MoveTo.X, message.MoveTo.Y), Self);
                break;
            case ClientMessage.BodyOneofCase.Chat:
                _ctx.Sectors.Tell(new PostChat(playing.SectorId, playing.PlayerId, seq, message.Chat.Text), Self);
                break;
            case ClientMessage.BodyOneofCase.Mine:
                _ctx.Sectors.Tell(new MineAsteroid(playing.SectorId, playing.PlayerId, seq, message.Mine.AsteroidId), Self);
                break;
            case ClientMessage.BodyOneofCase.Jump:
                _ctx.Sectors.Tell(new JumpGate(playing.SectorId, playing.PlayerId, seq, message.Jump.GateId), Self);
                break;
            case ClientMessage.BodyOneofCase.Leave:
                playing.Left = true;
                _ctx.Sectors.Tell(new LeaveSector(playing.SectorId, playing.PlayerId));
                _ctx.Players.Tell(new DetachSession(playing.PlayerId, Self));
                CloseWith(goodbye!);
                break;
        }
    }

    /// <summary>Queues a frame; a client that lets too much pile up is disconnected.</summary>
    private void Write(byte[] frame)
    {
        if (_phase is not Closed && _connection.Write(frame) == WriteResult.Full)
        {
            AbortSlowConsumer();
        }
    }

    private sealed class CheckTimeouts
    {
        public static readonly CheckTimeouts Instance = new();
    }
}
