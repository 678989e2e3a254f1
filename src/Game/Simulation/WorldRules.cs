namespace AkkaGame.Game.Simulation;

/// <summary>The rules of the world: sizes, speeds and limits, read from akkagame.world.</summary>
public sealed record WorldRules
{
    public int SectorsX { get; init; } = 8;
    public int SectorsY { get; init; } = 8;
    public float Width { get; init; } = 1000;
    public float Height { get; init; } = 1000;
    public int TickHz { get; init; } = 20;
    public float ShipSpeed { get; init; } = 100;
    public float MiningRange { get; init; } = 50;
    public float JumpRange { get; init; } = 50;
    public int MineAmount { get; init; } = 10;
    public TimeSpan MineCooldown { get; init; } = TimeSpan.FromSeconds(1);
    public int AsteroidsPerSector { get; init; } = 5;
    public int AsteroidMaxOre { get; init; } = 1000;
    public int AsteroidRegenPerSecond { get; init; } = 1;
    public int ChatHistory { get; init; } = 50;
    public int ChatMaxLength { get; init; } = 200;
    public TimeSpan ReconnectGrace { get; init; } = TimeSpan.FromSeconds(30);

    public static WorldRules Default { get; } = new();
}
