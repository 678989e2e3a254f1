using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AkkaGame.Bots.Bench;

/// <summary>How one benchmark client logs in: a token (for a player whose home sector we chose) or as a guest.</summary>
internal sealed record Identity(string? Token, string? GuestName, string? HomeSector);

/// <summary>
/// Picks player ids whose home sector (PROTOCOL.md: a stable hash of the id; the node's
/// SectorId.HomeOf, FNV-1a) falls on the chosen sectors, and mints their tokens in the format of
/// AkkaGame.Node.Auth.TokenService, so the load generator needs no reference to the node.
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
        var key = Encoding.UTF8.GetBytes(options.AuthSecret);
        var result = new Identity[options.Clients];
        for (var i = 0; i < options.Clients; i++)
        {
            var cell = chosen[i % chosen.Length];
            for (var attempt = 0; ; attempt++)
            {
                var id = string.Create(CultureInfo.InvariantCulture, $"bench-{options.Seed}-{i}-{attempt}");
                if ((int)(Fnv(id) % (uint)cells) == cell)
                {
                    var sector = string.Create(CultureInfo.InvariantCulture, $"s-{cell % options.WorldX}-{cell / options.WorldX}");
                    result[i] = new Identity(Mint(key, id, Name(i), TimeSpan.FromDays(1)), null, sector);
                    break;
                }
            }
        }

        return result;
    }

    public static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 16777619u;
        }

        return hash;
    }

    private static string Name(int i) => string.Create(CultureInfo.InvariantCulture, $"bench-{i}");

    /// <summary>"v1.p.b64url(id).b64url(name).b64url(expiry).b64url(HMAC-SHA256 of the rest)".</summary>
    private static string Mint(byte[] key, string playerId, string name, TimeSpan ttl)
    {
        var expires = DateTimeOffset.UtcNow.Add(ttl).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = string.Join('.', "v1", "p", B64(Encoding.UTF8.GetBytes(playerId)), B64(Encoding.UTF8.GetBytes(name)), B64(Encoding.UTF8.GetBytes(expires)));
        return signed + "." + B64(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
