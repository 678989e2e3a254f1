using AkkaGame.Game.Simulation;

namespace AkkaGame.Game.Sessions;

/// <summary>
/// The limits a session enforces before the game state is touched (PROTOCOL.md): every server
/// built on the core (the node and each benchmark peer) passes its own configuration in, so the
/// rules themselves are written once, in <see cref="SessionGate"/> and <see cref="LoginRules"/>.
/// </summary>
public sealed record SessionRules
{
    public int MaxFrameBytes { get; init; } = 65536;
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxMessagesPerSecond { get; init; } = 50;
    public int Burst { get; init; } = 100;
    public int FatalRateMultiplier { get; init; } = 5;
    public int ChatMaxLength { get; init; } = WorldRules.Default.ChatMaxLength;
    public bool AllowGuests { get; init; } = true;
    public TimeSpan ResumeTokenTtl { get; init; } = TimeSpan.FromHours(24);
}
