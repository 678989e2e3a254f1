using AkkaGame.Game.Simulation;

namespace AkkaGame.Game.Sessions;

/// <summary>
/// The limits a session enforces before the game state is touched (PROTOCOL.md): every server
/// built on the core (the node and each benchmark peer) passes its own configuration in, so the
/// rules themselves are written once, in <see cref="SessionGate"/> and <see cref="LoginRules"/>.
/// </summary>
public sealed record SessionRules
{
    /// <summary>The limits of hocon/game.conf, as the core reads it.</summary>
    public static SessionRules Default => Configuration.GameConf.Defaults.SessionRules;

    public required int MaxFrameBytes { get; init; }
    public required TimeSpan HelloTimeout { get; init; }
    public required TimeSpan IdleTimeout { get; init; }
    public required int MaxMessagesPerSecond { get; init; }
    public required int Burst { get; init; }
    public required int FatalRateMultiplier { get; init; }
    public required int ChatMaxLength { get; init; }
    public required bool AllowGuests { get; init; }
    public required TimeSpan ResumeTokenTtl { get; init; }
}
