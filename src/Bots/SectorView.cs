using Akkagame.V1;

namespace AkkaGame.Bots;

/// <summary>
/// What one bot knows of its sector: asteroid and gate positions from the snapshot, asteroid ore
/// and its own ship position from deltas. Owned by one bot, guarded by that bot's lock.
/// </summary>
internal sealed class SectorView
{
    private readonly Dictionary<string, Asteroid> _asteroids = new();
    private readonly List<Gate> _gates = new();

    /// <summary>The sector the bot is in; empty until the first Welcome.</summary>
    public string SectorId { get; private set; } = string.Empty;

    /// <summary>True once the current sector's snapshot has arrived.</summary>
    public bool Loaded { get; private set; }

    public float X { get; private set; }

    public float Y { get; private set; }

    public IReadOnlyCollection<Asteroid> Asteroids => _asteroids.Values;

    public IReadOnlyList<Gate> Gates => _gates;

    /// <summary>Forgets the sector: after a Welcome or a Jumped, until the next snapshot.</summary>
    public void Reset(string sectorId)
    {
        SectorId = sectorId;
        Loaded = false;
        _asteroids.Clear();
        _gates.Clear();
    }

    /// <summary>Replaces everything with the snapshot; returns the own ship if it is in it.</summary>
    public Ship? Load(SectorSnapshot snapshot, string? playerId)
    {
        Reset(snapshot.SectorId);
        foreach (var asteroid in snapshot.Asteroids)
        {
            _asteroids[asteroid.Id] = asteroid;
        }

        _gates.AddRange(snapshot.Gates);
        Loaded = true;

        // Until the own ship shows up, assume the spawn point near the centre.
        X = snapshot.Width / 2;
        Y = snapshot.Height / 2;
        return TrackOwnShip(snapshot.Ships, playerId);
    }

    /// <summary>Applies a delta of the current sector; returns the own ship if it changed.</summary>
    public Ship? Apply(SectorDelta delta, string? playerId)
    {
        if (!Loaded || delta.SectorId != SectorId)
        {
            return null;
        }

        foreach (var asteroid in delta.Asteroids)
        {
            _asteroids[asteroid.Id] = asteroid;
        }

        return TrackOwnShip(delta.Ships, playerId);
    }

    public float DistanceTo(float x, float y)
    {
        var dx = x - X;
        var dy = y - Y;
        return MathF.Sqrt((dx * dx) + (dy * dy));
    }

    private Ship? TrackOwnShip(IEnumerable<Ship> ships, string? playerId)
    {
        foreach (var ship in ships)
        {
            if (ship.PlayerId == playerId)
            {
                X = ship.X;
                Y = ship.Y;
                return ship;
            }
        }

        return null;
    }
}
