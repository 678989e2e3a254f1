using System.Security.Cryptography;
using AkkaGame.Game.Configuration;
using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// What every peer is configured with: the world rules and gateway limits of hocon/game.conf,
/// read by the core (<see cref="GameConf.Defaults"/>) exactly as the node reads them, so a peer
/// cannot win a benchmark by relaxing a rule. Peers listen on loopback only.
/// </summary>
public sealed record PeerSettings
{
    public const string Host = "127.0.0.1";

    public int Port { get; init; } = GameConf.Defaults.Gateway.Port;
    public WorldRules World { get; init; } = GameConf.Defaults.World;

    /// <summary>The session limits every connection is held to, by the core's <see cref="SessionGate"/>.</summary>
    public SessionRules Session { get; init; } = GameConf.Defaults.SessionRules;

    /// <summary>Per connection; a client that lets more pile up is disconnected (SLOW_CONSUMER).</summary>
    public int MaxOutboundBytes { get; init; } = checked((int)GameConf.Defaults.Gateway.MaxOutboundBytes);
    /// <summary>Queued small frames are joined into writes of at most this size.</summary>
    public int MaxWriteBytes { get; init; } = checked((int)GameConf.Defaults.Gateway.MaxWriteBytes);
    /// <summary>After a last frame the server waits this long for the client to close first.</summary>
    public TimeSpan CloseLinger { get; init; } = GameConf.Defaults.Gateway.CloseLinger;
    /// <summary>Credit operation ids remembered per player, as the node's player.remembered-operations.</summary>
    public int RememberedOperations { get; init; } = GameConf.Defaults.Player.RememberedOperations;

    /// <summary>
    /// HMAC secret for player and resume tokens. Without one a random secret is made per run, so
    /// guests and resume tokens work; pass the node's secret to use the same token files.
    /// </summary>
    public string AuthSecret { get; init; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Where the peer stores what the node stores before answering (a SQLite file in this
    /// folder, <see cref="PeerStore"/>); null keeps everything in memory (the in-memory variant).
    /// </summary>
    public string? StoreDirectory { get; init; }

    /// <summary>The store in <see cref="StoreDirectory"/>, or null for the in-memory variant.</summary>
    public PeerStore? OpenStore() => StoreDirectory is null ? null : PeerStore.Open(Path.Combine(StoreDirectory, "peer.db"));

    /// <summary>Reconnect after this long when the peer shuts down (Notice.reconnect_after_ms).</summary>
    public uint ReconnectAfterMs { get; init; } = 1000;
}
