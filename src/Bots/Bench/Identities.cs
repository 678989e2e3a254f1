using System.Globalization;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Bots.Bench;

/// <summary>How one benchmark client logs in: a token (for a player whose home sector we chose) or as a guest.</summary>
internal sealed record Identity(string? Token, string? GuestName, string? HomeSector);

/// <summary>
/// Picks player ids whose home sector (the node's own SectorId.HomeOf) falls on the chosen
/// sectors, and mints their tokens with the node's own TokenService, so the load generator can
/// never drift from the server's rules.
/// </summary>
internal static class Identities
{
    public static IReadOnlyList<Identity> Build(BenchOptions options)
    {
        if (options.TokenFile is not null)
        {
            var tokens = File.ReadAllLines(options.TokenFile).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            return tokens.Length >= options.Clients
                ? tokens.Take(options.Clients).Select(t => new Identity(t, null, null)).ToArray()
                : throw new ArgumentException($"{options.TokenFile} holds {tokens.Length} tokens, fewer than the {options.Clients} clients");
        }

        if (options.AuthSecret is null)
        {
            // Guests get random ids, so home sectors are random: --sectors cannot be honoured.
            return Enumerable.Range(0, options.Clients).Select(i => new Identity(null, Name(i), null)).ToArray();
        }

        var cells = options.WorldX * options.WorldY;

        // Chosen sectors spread over the grid with a fixed stride, so M sectors are not all neighbours.
        var stride = options.Sectors >= cells ? 1 : Math.Max(1, cells / options.Sectors);
        var chosen = Enumerable.Range(0, options.Sectors).Select(k => (k * stride) % cells).ToArray();
        var minter = TokenService.FromSecret(options.AuthSecret);
        var world = WorldRules.Default with { SectorsX = options.WorldX, SectorsY = options.WorldY };
        var result = new Identity[options.Clients];
        for (var i = 0; i < options.Clients; i++)
        {
            var cell = chosen[i % chosen.Length];
            for (var attempt = 0; ; attempt++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"bench-{options.Seed}-{i}-{attempt}");
                var sector = SectorId.Of(cell % options.WorldX, cell / options.WorldX);
                if (SectorId.HomeOf(id, world) == sector)
                {
                    result[i] = new Identity(minter.MintPlayerToken(id, Name(i), TimeSpan.FromDays(1)), null, sector);
                    break;
                }
            }
        }

        return result;
    }

    private static string Name(int i) => string.Create(CultureInfo.InvariantCulture, $"bench-{i}");
}
