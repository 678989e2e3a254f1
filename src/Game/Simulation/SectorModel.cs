using System.Numerics;

namespace AkkaGame.Game.Simulation;

/// <summary>One player's ship in a sector. Owned by its <see cref="SectorState"/>.</summary>
public sealed class Ship
{
    public required string PlayerId { get; init; }
    public required string Name { get; set; }
    public Vector2 Position { get; set; }
    public Vector2 Target { get; set; }
    public Vector2 Velocity { get; set; }
    public bool Connected { get; set; }
    public uint LastInputSeq { get; set; }
    /// <summary>When the ship lost its connection (ms, sector clock); null while connected.</summary>
    public long? DisconnectedAtMs { get; set; }
    /// <summary>When the ship last mined, in the sector's game time (<see cref="GameClock"/>).</summary>
    public long? LastMineAtMs { get; set; }
    internal bool Changed { get; set; }

    /// <summary>
    /// Changed in a way a client that predicts motion cannot work out: it turned, started or
    /// stopped, applied an input, or its name or connection changed (PROTOCOL.md, Motion
    /// prediction). Not set when it only moved one step along its velocity.
    /// </summary>
    internal bool Steered { get; set; }

    /// <summary>The last tick in which <see cref="Steered"/> was set (<see cref="TickResult.IsSteered"/>).</summary>
    internal ulong SteeredAtTick { get; set; }
}

/// <summary>An asteroid: a fixed site and the ore it holds now.</summary>
public sealed class Asteroid
{
    public required string Id { get; init; }
    public required Vector2 Position { get; init; }
    public int Ore { get; set; }
    internal bool Changed { get; set; }
}

/// <summary>A chat line as stored in the sector's history.</summary>
public sealed record ChatEntry(ulong Id, string FromPlayerId, string FromName, string Text, long TimeUs);

/// <summary>
/// What one tick changed: exactly what the next SectorDelta carries. <paramref name="TimeDilation"/>
/// is set while the sector runs dilated and in the first tick after it returns to full speed
/// (PROTOCOL.md, Version 1 additions); null otherwise.
/// </summary>
public sealed record TickResult(ulong Tick, IReadOnlyList<Ship> ChangedShips, IReadOnlyList<Asteroid> ChangedAsteroids, IReadOnlyList<string> RemovedShips, float? TimeDilation = null)
{
    public bool IsEmpty => ChangedShips.Count == 0 && ChangedAsteroids.Count == 0 && RemovedShips.Count == 0 && TimeDilation is null;

    /// <summary>
    /// Whether a changed ship must go to clients that predict motion too: false when this tick
    /// only moved it one step along the velocity they already have (PROTOCOL.md, Motion prediction).
    /// </summary>
    public bool IsSteered(Ship ship)
    {
        ArgumentNullException.ThrowIfNull(ship);
        return ship.SteeredAtTick == Tick;
    }
}

/// <summary>Why an input was refused; maps one-to-one onto protocol error codes.</summary>
public enum Rejection
{
    None = 0,
    InvalidInput,
    OutOfRange,
    UnknownTarget,
    Cooldown,
}

public readonly record struct MineOutcome(Rejection Rejection, string Reason, int Amount)
{
    public bool Ok => Rejection == Rejection.None;

    public static MineOutcome Refused(Rejection rejection, string reason) => new(rejection, reason, 0);
}

public readonly record struct JumpOutcome(Rejection Rejection, string Reason, string ToSector)
{
    public bool Ok => Rejection == Rejection.None;

    public static JumpOutcome Refused(Rejection rejection, string reason) => new(rejection, reason, string.Empty);
}
