using System.Security.Cryptography;
using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// What every peer is configured with: the same world rules and gateway limits as the node's
/// hocon/game.conf defaults (PROTOCOL.md), so a peer cannot win a benchmark by relaxing a rule.
/// Peers listen on loopback only.
/// </summary>
public sealed record PeerSettings
{
    public const string Host = "127.0.0.1";

    public int Port { get; init; } = 7777;
    public WorldRules World { get; init; } = WorldRules.Default;

    /// <summary>The session limits every connection is held to, by the core's <see cref="SessionGate"/>.</summary>
    public SessionRules Session { get; init; } = new();

    /// <summary>Per connection; a client that lets more pile up is disconnected (SLOW_CONSUMER).</summary>
    public int MaxOutboundBytes { get; init; } = 256 * 1024;
    /// <summary>Queued small frames are joined into writes of at most this size.</summary>
    public int MaxWriteBytes { get; init; } = 64 * 1024;
    /// <summary>After a last frame the server waits this long for the client to close first.</summary>
    public TimeSpan CloseLinger { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Credit operation ids remembered per player, as the node's player.remembered-operations.</summary>
    public int RememberedOperations { get; init; } = 256;

    /// <summary>
    /// HMAC secret for player and resume tokens. Without one a random secret is made per run, so
    /// guests and resume tokens work; pass the node's secret to use the same token files.
    /// </summary>
    public string AuthSecret { get; init; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Reconnect after this long when the peer shuts down (Notice.reconnect_after_ms).</summary>
    public uint ReconnectAfterMs { get; init; } = 1000;
}
