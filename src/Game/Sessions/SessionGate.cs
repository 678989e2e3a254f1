using Akkagame.V1;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Simulation;
using Google.Protobuf;

namespace AkkaGame.Game.Sessions;

public enum GateAction
{
    /// <summary>Nothing to do (the connection is closing).</summary>
    None = 0,
    /// <summary>Write <see cref="GateResult.Frame"/> and go on.</summary>
    Reply,
    /// <summary>Write <see cref="GateResult.Frame"/> as the last frame and close.</summary>
    Fatal,
    /// <summary>Log <see cref="GateResult.Identity"/> in: Welcome, then the sector's snapshot.</summary>
    Login,
    /// <summary>A game input for the player's sector: MoveTo, Chat, Mine, Jump or Leave, already validated.</summary>
    Input,
}

/// <summary>What <see cref="SessionGate"/> decided about one frame; <see cref="Code"/> is set for errors.</summary>
public readonly record struct GateResult(GateAction Action, uint Seq, byte[]? Frame = null, ClientMessage? Message = null, LoginIdentity? Identity = null, ErrorCode Code = ErrorCode.ErrorUnspecified);

/// <summary>
/// Everything a session decides before the game state is touched: decoding, MALFORMED, the rate
/// limit, Hello first, login forms, Ping, finite MoveTo coordinates, chat text, and the hello and
/// idle timeouts. The node's SessionActor and every benchmark peer run their connections through
/// it. One per connection, fed by one reader; <see cref="CheckTimeouts"/> and <see cref="Close"/>
/// may run on any thread.
/// </summary>
public sealed class SessionGate
{
    private const int AwaitingHello = 0;
    private const int Playing = 1;
    private const int Closed = 2;

    private readonly SessionRules _settings;
    private readonly TokenService _tokens;
    private readonly TimeProvider _clock;
    private readonly RateLimiter _rate;
    private readonly long _openedMs;
    private long _lastFrameMs;
    private int _phase = AwaitingHello;

    /// <param name="nowMs">A monotonic millisecond count (for timeouts and the rate limit); later calls pass the same clock's readings.</param>
    /// <param name="clock">The wall clock for the server time in Pong frames (default: the system's).</param>
    public SessionGate(SessionRules settings, TokenService tokens, long nowMs, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));
        _rate = new RateLimiter(settings.MaxMessagesPerSecond, settings.Burst, settings.FatalRateMultiplier);
        _openedMs = nowMs;
        _lastFrameMs = nowMs;
    }

    public bool IsClosed => Volatile.Read(ref _phase) == Closed;

    public GateResult Accept(byte[] frame, long nowMs)
    {
        if (IsClosed)
        {
            return default;
        }

        Volatile.Write(ref _lastFrameMs, nowMs);
        ClientMessage message;
        try
        {
            message = ClientMessage.Parser.ParseFrom(frame);
        }
        catch (InvalidProtocolBufferException)
        {
            return Fatal(0, ErrorCode.Malformed, "frame is not a ClientMessage");
        }

        var seq = message.Seq;
        if (message.BodyCase == ClientMessage.BodyOneofCase.None)
        {
            return Fatal(seq, ErrorCode.Malformed, "ClientMessage has no body");
        }

        switch (_rate.Check(nowMs))
        {
            case RateDecision.Fatal:
                return Fatal(seq, ErrorCode.RateLimited, "far over the message rate limit");
            case RateDecision.Reject:
                return Reply(seq, ErrorCode.RateLimited, $"more than {_settings.MaxMessagesPerSecond} messages per second; message dropped");
        }

        if (Volatile.Read(ref _phase) == AwaitingHello)
        {
            return message.BodyCase == ClientMessage.BodyOneofCase.Hello
                ? Login(seq, message.Hello)
                : Fatal(seq, ErrorCode.NotAuthenticated, "the first message must be Hello");
        }

        return message.BodyCase switch
        {
            ClientMessage.BodyOneofCase.Ping => new GateResult(GateAction.Reply, seq, Replies.Pong(seq, message.Ping.ClientTimeUs, Replies.ServerTimeUs(_clock))),
            ClientMessage.BodyOneofCase.Hello => Reply(seq, ErrorCode.InvalidInput, "already logged in"),
            ClientMessage.BodyOneofCase.MoveTo when !float.IsFinite(message.MoveTo.X) || !float.IsFinite(message.MoveTo.Y) =>
                Reply(seq, ErrorCode.InvalidInput, "coordinates must be finite numbers"),
            ClientMessage.BodyOneofCase.Chat when ChatRules.Validate(message.Chat.Text, _settings.ChatMaxLength, out var reason) is null =>
                Reply(seq, ErrorCode.InvalidInput, reason),
            ClientMessage.BodyOneofCase.Leave => Leaving(seq, message),
            _ => new GateResult(GateAction.Input, seq, Message: message),
        };
    }

    /// <summary>A header announced a length of zero or over the limit: fatal.</summary>
    public GateResult BadLength(long length) =>
        IsClosed
            ? default
            : Fatal(0, ErrorCode.FrameTooLarge, length == 0 ? "zero-length frame" : $"frame of {length} bytes exceeds the limit of {_settings.MaxFrameBytes}");

    /// <summary>The fatal IDLE_TIMEOUT frame when the hello or idle timeout passed, else null. Thread-safe.</summary>
    public byte[]? CheckTimeouts(long nowMs)
    {
        var phase = Volatile.Read(ref _phase);
        if (phase == AwaitingHello && nowMs - _openedMs > (long)_settings.HelloTimeout.TotalMilliseconds)
        {
            return Close() ? Replies.Error(0, ErrorCode.IdleTimeout, $"no Hello within {_settings.HelloTimeout.TotalSeconds:0.#} s", fatal: true) : null;
        }

        if (phase == Playing && nowMs - Volatile.Read(ref _lastFrameMs) > (long)_settings.IdleTimeout.TotalMilliseconds)
        {
            return Close() ? Replies.Error(0, ErrorCode.IdleTimeout, $"no message for {_settings.IdleTimeout.TotalSeconds:0.#} s", fatal: true) : null;
        }

        return null;
    }

    /// <summary>
    /// The earliest monotonic time at which <see cref="CheckTimeouts"/> can find a timeout (the
    /// hello deadline, or the idle deadline counted from the last frame), or null once closed: a
    /// server checks then, not on a fixed period. Thread-safe.
    /// </summary>
    public long? NextCheckMs => Volatile.Read(ref _phase) switch
    {
        AwaitingHello => _openedMs + (long)_settings.HelloTimeout.TotalMilliseconds + 1,
        Playing => Volatile.Read(ref _lastFrameMs) + (long)_settings.IdleTimeout.TotalMilliseconds + 1,
        _ => null,
    };

    /// <summary>No more input is served (a fatal error or Leave was sent). True for the caller that closed it.</summary>
    public bool Close() => Interlocked.Exchange(ref _phase, Closed) != Closed;

    /// <summary>The resume token the Welcome carries.</summary>
    public string MintResumeToken(LoginIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return _tokens.MintResumeToken(identity.PlayerId, identity.Name, _settings.ResumeTokenTtl);
    }

    private GateResult Login(uint seq, Hello hello)
    {
        var identity = LoginRules.Identify(seq, hello, _tokens, _settings.AllowGuests, out var fatal, out var fatalCode);
        if (identity is null)
        {
            Close();
            return new GateResult(GateAction.Fatal, seq, fatal, Code: fatalCode);
        }

        Interlocked.CompareExchange(ref _phase, Playing, AwaitingHello);
        return new GateResult(GateAction.Login, seq, Identity: identity);
    }

    private GateResult Leaving(uint seq, ClientMessage message)
    {
        Close();
        return new GateResult(GateAction.Input, seq, Replies.Goodbye(seq), message);
    }

    private GateResult Fatal(uint seq, ErrorCode code, string text)
    {
        Close();
        return new GateResult(GateAction.Fatal, seq, Replies.Error(seq, code, text, fatal: true), Code: code);
    }

    private static GateResult Reply(uint seq, ErrorCode code, string text) =>
        new(GateAction.Reply, seq, Replies.Error(seq, code, text, fatal: false), Code: code);
}
