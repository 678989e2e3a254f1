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
    private SessionPhase _phase = new AwaitingHello();

    /// <summary>Input read and dropped after the last frame (bounded by close-linger-bytes).</summary>
    private long _discardedBytes;

    public SessionActor(SessionContext ctx, ConnectionOutbound outbound)
    {
        _ctx = ctx;
        _outbound = outbound;
        _gate = new SessionGate(ctx.Settings.SessionRules, ctx.Tokens, NowMs);
        Open();
    }

    public ITimerScheduler Timers { get; set; } = null!;

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
        }
    }

    /// <summary>Queues a frame; a client that lets too much pile up is disconnected.</summary>
    private void Write(byte[] frame)
    {
        if (_phase is Closed)
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

    private static Playing? PlayerOf(SessionPhase phase) => phase switch
    {
        Playing p => p,
        Closed c => c.WasPlaying,
        _ => null,
    };

    /// <summary>
    /// What a session has in each phase; <see cref="PhaseName"/> is what operators see. Classes,
    /// not records: a phase is one session's state (Playing changes with a jump), compared by identity.
    /// </summary>
    private abstract class SessionPhase(string phaseName)
    {
        public string PhaseName { get; } = phaseName;
    }

    private sealed class AwaitingHello() : SessionPhase(nameof(AwaitingHello));

    /// <summary>The core accepted the Hello; the player entity is being loaded (the answer carries the Hello's seq).</summary>
    private sealed class LoggingIn() : SessionPhase(nameof(LoggingIn));

    /// <summary>Logged in: always a player, its name and its current sector (which a jump changes).</summary>
    private sealed class Playing(string playerId, string name, string sectorId) : SessionPhase(nameof(Playing))
    {
        public string PlayerId { get; } = playerId;

        public string Name { get; } = name;

        public string SectorId { get; set; } = sectorId;

        /// <summary>The sector entity once it answered a join; null while (re)joining.</summary>
        public IActorRef? Sector { get; set; }

        /// <summary>Where a jump puts the ship, until the new sector has it.</summary>
        public (float X, float Y)? PendingArrival { get; set; }

        /// <summary>The client said Leave: nothing is kept for a reconnect.</summary>
        public bool Left { get; set; }
    }

    /// <summary>The last frame is out; <see cref="WasPlaying"/> says whose grace begins when the session stops.</summary>
    private sealed class Closed(Playing? wasPlaying) : SessionPhase("Closing")
    {
        public Playing? WasPlaying { get; } = wasPlaying;
    }

    private sealed class CheckTimeouts
    {
        public static readonly CheckTimeouts Instance = new();
    }
}
