using System.Globalization;

namespace AkkaGame.Game.Simulation;

/// <summary>Sector ids are "s-X-Y" on the world grid (PROTOCOL.md, The game).</summary>
public static class SectorId
{
    public static string Of(int x, int y) => string.Create(CultureInfo.InvariantCulture, $"s-{x}-{y}");

    public static bool TryParse(string? id, WorldRules rules, out int x, out int y)
    {
        ArgumentNullException.ThrowIfNull(rules);
        x = y = -1;
        if (id is null || !id.StartsWith("s-", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = id.Split('-');
        return parts.Length == 3
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out x)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out y)
            && x < rules.SectorsX && y < rules.SectorsY
            && Of(x, y) == id;
    }

    public static bool IsValid(string? id, WorldRules rules) => TryParse(id, rules, out _, out _);

    /// <summary>The sector a new player starts in: a stable hash of its id, so every node agrees.</summary>
    public static string HomeOf(string playerId, WorldRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var hash = StableHash.Of(playerId);
        var cell = (int)(hash % (uint)(rules.SectorsX * rules.SectorsY));
        return Of(cell % rules.SectorsX, cell / rules.SectorsX);
    }
}

/// <summary>FNV-1a: string.GetHashCode is randomized per process, this is the same everywhere.</summary>
public static class StableHash
{
    public static uint Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }

        return hash;
    }
}
