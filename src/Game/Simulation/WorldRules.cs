namespace AkkaGame.Game.Simulation;

/// <summary>The rules of the world: sizes, speeds and limits, read from akkagame.world (defaults in hocon/game.conf alone).</summary>
public sealed record WorldRules
{
    public required int SectorsX { get; init; }
    public required int SectorsY { get; init; }
    public required float Width { get; init; }
    public required float Height { get; init; }
    public required int TickHz { get; init; }
    public required float ShipSpeed { get; init; }
    public required float MiningRange { get; init; }
    public required float JumpRange { get; init; }
    public required int MineAmount { get; init; }
    public required TimeSpan MineCooldown { get; init; }
    public required int AsteroidsPerSector { get; init; }
    public required int AsteroidMaxOre { get; init; }
    public required int AsteroidRegenPerSecond { get; init; }
    public required int ChatHistory { get; init; }
    public required int ChatMaxLength { get; init; }
    public required TimeSpan ReconnectGrace { get; init; }

    /// <summary>The world of hocon/game.conf, as the core reads it.</summary>
    public static WorldRules Default => Configuration.GameConf.Defaults.World;
}
