using System.Numerics;

namespace AkkaGame.Game.Simulation;

public sealed record GateInfo(string Id, Vector2 Position, string ToSector);

public sealed record AsteroidSite(string Id, Vector2 Position);

/// <summary>
/// The fixed geography of a sector: gates to each grid neighbour and asteroid sites derived
/// from the sector id, identical on every node and every run.
/// </summary>
public sealed record SectorLayout(string SectorId, IReadOnlyList<GateInfo> Gates, IReadOnlyList<AsteroidSite> Asteroids)
{
    /// <summary>Gates stand this far inside the sector edge (PROTOCOL.md).</summary>
    public const float GateInset = 50;

    /// <summary>Asteroids keep this far from the edges so they never sit on a gate.</summary>
    private const float AsteroidMargin = 150;

    public static SectorLayout For(string sectorId, WorldRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (!Simulation.SectorId.TryParse(sectorId, rules, out var x, out var y))
        {
            throw new ArgumentException($"not a sector of this world: {sectorId}", nameof(sectorId));
        }

        var gates = new List<GateInfo>(4);
        if (x + 1 < rules.SectorsX)
        {
            gates.Add(new GateInfo(Simulation.SectorId.Of(x + 1, y), GatePosition(Direction.East, rules), Simulation.SectorId.Of(x + 1, y)));
        }

        if (x > 0)
        {
            gates.Add(new GateInfo(Simulation.SectorId.Of(x - 1, y), GatePosition(Direction.West, rules), Simulation.SectorId.Of(x - 1, y)));
        }

        if (y > 0)
        {
            gates.Add(new GateInfo(Simulation.SectorId.Of(x, y - 1), GatePosition(Direction.North, rules), Simulation.SectorId.Of(x, y - 1)));
        }

        if (y + 1 < rules.SectorsY)
        {
            gates.Add(new GateInfo(Simulation.SectorId.Of(x, y + 1), GatePosition(Direction.South, rules), Simulation.SectorId.Of(x, y + 1)));
        }

        var random = new SplitMix(StableHash.Of(sectorId));
        var asteroids = new List<AsteroidSite>(rules.AsteroidsPerSector);
        for (var i = 0; i < rules.AsteroidsPerSector; i++)
        {
            var ax = AsteroidMargin + (float)random.NextDouble() * (rules.Width - 2 * AsteroidMargin);
            var ay = AsteroidMargin + (float)random.NextDouble() * (rules.Height - 2 * AsteroidMargin);
            asteroids.Add(new AsteroidSite($"a-{i}", new Vector2(ax, ay)));
        }

        return new SectorLayout(sectorId, gates, asteroids);
    }

    /// <summary>Where a ship arriving from <paramref name="fromSector"/> appears: beside the gate leading back.</summary>
    public Vector2 ArrivalFrom(string fromSector, WorldRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var centre = new Vector2(rules.Width / 2, rules.Height / 2);
        var gate = Gates.FirstOrDefault(g => g.ToSector == fromSector);
        if (gate is null)
        {
            return centre;
        }

        // A little inward from the gate, inside jump range, so the ship is beside it, not on it.
        return gate.Position + (Vector2.Normalize(centre - gate.Position) * 20);
    }

    private enum Direction { East, West, North, South }

    private static Vector2 GatePosition(Direction direction, WorldRules rules) => direction switch
    {
        Direction.East => new Vector2(rules.Width - GateInset, rules.Height / 2),
        Direction.West => new Vector2(GateInset, rules.Height / 2),
        Direction.North => new Vector2(rules.Width / 2, GateInset),
        _ => new Vector2(rules.Width / 2, rules.Height - GateInset),
    };

    /// <summary>A tiny deterministic generator: System.Random's sequence is not a documented contract.</summary>
    private sealed class SplitMix(ulong seed)
    {
        private ulong _state = seed;

        public double NextDouble()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}
