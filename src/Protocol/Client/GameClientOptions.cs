namespace AkkaGame.Protocol.Client;

/// <summary>
/// How a <see cref="GameClient"/> finds the server, logs in and behaves when the connection drops.
/// The defaults follow PROTOCOL.md (ping every 10 s against the 30 s idle timeout, 64 KiB frames).
/// </summary>
public sealed class GameClientOptions
{
    /// <summary>
    /// Server addresses as "host:port" ("[::1]:7777" for IPv6 literals), tried in order; after a
    /// failure the client moves on round-robin, so a cluster's nodes share the reconnects.
    /// </summary>
    public IReadOnlyList<string> Endpoints { get; set; } = Array.Empty<string>();

    /// <summary>A signed player token (minted by the operator CLI): logs in that player.</summary>
    public string? Token { get; set; }

    /// <summary>Guest login name, used only when there is neither a resume token nor a token.</summary>
    public string? GuestName { get; set; }

    /// <summary>
    /// Say <c>Hello.predicts_motion</c>: this client moves ships by their velocity between deltas
    /// (<see cref="SectorShips"/> does), so the server leaves out of its deltas the ships that
    /// only flew on (PROTOCOL.md, Motion prediction). Off by default.
    /// </summary>
    public bool PredictsMotion { get; set; }

    /// <summary>Resume token from an earlier session: continues the same player on the first connect.</summary>
    public string? ResumeToken { get; set; }

    /// <summary>Keep-alive Ping period while connected; <see cref="TimeSpan.Zero"/> disables it.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection on which the server sent nothing for this long (not even the Pong to a Ping)
    /// is treated as lost: the server's process is frozen or its host gone without a reset, so the
    /// client reconnects (with <see cref="AutoReconnect"/>) instead of waiting on it forever.
    /// Default: three ping intervals; <see cref="TimeSpan.Zero"/> disables it (so does no ping).
    /// </summary>
    public TimeSpan? ServerSilenceTimeout { get; set; }

    /// <summary>Reconnect and resume by itself after a lost connection or a shutdown notice.</summary>
    public bool AutoReconnect { get; set; } = true;

    /// <summary>Connect attempts per outage before giving up (then <see cref="GameClient.Disconnected"/> fires).</summary>
    public int MaxReconnectAttempts { get; set; } = 20;

    /// <summary>Base back-off between reconnect attempts, doubled after each failure up to 5 s.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Bound on one connect attempt: TCP connect plus the Hello/Welcome handshake.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest frame body accepted from the server; a larger one drops the connection.</summary>
    public int MaxFrameBytes { get; set; } = Framing.Frame.DefaultMaxFrameBytes;

    /// <summary>Socket receive buffer size; small values let tests play a slow consumer.</summary>
    public int? ReceiveBufferSize { get; set; }

    /// <summary>
    /// Queue server messages for <see cref="GameClient.NextAsync"/>, at most
    /// <see cref="InboxCapacity"/> of them. Clients that handle
    /// <see cref="GameClient.MessageReceived"/> and never call NextAsync can set false.
    /// </summary>
    public bool KeepInbox { get; set; } = true;

    /// <summary>
    /// Most messages the inbox holds; when full, the oldest is dropped (counted in
    /// <see cref="GameClient.InboxDropped"/>), so a client that never calls NextAsync stays
    /// bounded (about 50 s of 20 Hz deltas at the default).
    /// </summary>
    public int InboxCapacity { get; set; } = 1024;

    /// <summary>
    /// Sees every frame body the server sends, before it is decoded, on the receive loop.
    /// Returning false consumes the frame: it is not decoded, queued, answered or raised through
    /// <see cref="GameClient.MessageReceived"/>. For load generators that read the many deltas of
    /// a crowd with a cheap scan instead of a full decode; let through (return true) every frame
    /// the client itself needs: Welcome, errors, notices, answers to requests.
    /// </summary>
    public Func<byte[], bool>? FrameFilter { get; set; }
}
