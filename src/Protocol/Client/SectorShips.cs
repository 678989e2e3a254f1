using Akkagame.V1;

namespace AkkaGame.Protocol.Client;

/// <summary>
/// The ships of the sector a client is in, as its snapshots and deltas tell them, with each
/// ship's position worked out for any tick by PROTOCOL.md's motion prediction rule: a ship last
/// sent at tick <c>T0</c> at <c>(x, y)</c> with velocity <c>(vx, vy)</c> is at
/// <c>(x + vx * (T - T0) / tick_hz, y + vy * (T - T0) / tick_hz)</c> at tick <c>T</c>. A client that
/// says <c>Hello.predicts_motion</c> (<see cref="GameClientOptions.PredictsMotion"/>) needs this,
/// since its deltas leave out ships that only flew on; one that does not gets every moved ship in
/// every delta, and the rule gives the same positions. Not thread-safe: one reader applies the
/// messages in the order they arrived.
/// </summary>
public sealed class SectorShips
{
    private readonly Dictionary<string, (Ship Ship, ulong Tick)> _ships = new(StringComparer.Ordinal);

    /// <param name="tickHz">Welcome.tick_hz: ticks per second of game time.</param>
    public SectorShips(uint tickHz)
    {
        TickHz = tickHz > 0 ? tickHz : throw new ArgumentOutOfRangeException(nameof(tickHz), tickHz, "Welcome.tick_hz is above 0");
    }

    public uint TickHz { get; }

    /// <summary>The sector these ships are in; empty before the first snapshot.</summary>
    public string SectorId { get; private set; } = string.Empty;

    /// <summary>The latest tick a snapshot or delta of this sector named.</summary>
    public ulong Tick { get; private set; }

    public int Count => _ships.Count;

    public IEnumerable<string> PlayerIds => _ships.Keys;

    /// <summary>A snapshot replaces everything known of the sector (entering it, or catching up).</summary>
    public void Apply(SectorSnapshot snapshot)
    {
        Guard.NotNull(snapshot, nameof(snapshot));
        _ships.Clear();
        SectorId = snapshot.SectorId;
        Tick = snapshot.Tick;
        foreach (var ship in snapshot.Ships)
        {
            _ships[ship.PlayerId] = (ship, snapshot.Tick);
        }
    }

    /// <summary>A delta of this sector: its ships as of its tick, and the ships that left. False for another sector's.</summary>
    public bool Apply(SectorDelta delta)
    {
        Guard.NotNull(delta, nameof(delta));
        if (delta.SectorId != SectorId)
        {
            return false;
        }

        Tick = Math.Max(Tick, delta.Tick);
        foreach (var ship in delta.Ships)
        {
            _ships[ship.PlayerId] = (ship, delta.Tick);
        }

        foreach (var id in delta.RemovedShips)
        {
            _ships.Remove(id);
        }

        return true;
    }

    /// <summary>The ship as it was last sent, or null when it is not known here.</summary>
    public Ship? Find(string playerId) => _ships.TryGetValue(playerId, out var known) ? known.Ship : null;

    /// <summary>Where the ship is at <paramref name="tick"/> (default: <see cref="Tick"/>); null when it is not known here.</summary>
    public (float X, float Y)? PositionAt(string playerId, ulong? tick = null)
    {
        if (!_ships.TryGetValue(playerId, out var known))
        {
            return null;
        }

        var (ship, sentAt) = known;
        var at = tick ?? Tick;
        var seconds = at > sentAt ? (at - sentAt) / (float)TickHz : 0f;
        return (ship.X + (ship.Vx * seconds), ship.Y + (ship.Vy * seconds));
    }
}
