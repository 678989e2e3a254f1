using System.Security.Cryptography;
using System.Text;

namespace AkkaGame.Game.Auth;

/// <summary>What a verified token says.</summary>
public sealed record TokenClaims(string PlayerId, string Name, DateTimeOffset ExpiresAt);

/// <summary>
/// Player tokens and resume tokens: "v1.KIND.base64url(payload).base64url(HMAC-SHA256)".
/// The payload is player id, name and expiry (unix seconds), each base64url, joined by '.'.
/// The kind is signed too, so a resume token cannot be used as a login token or the reverse.
/// </summary>
public sealed class TokenService
{
    public const string PlayerKind = "p";
    public const string ResumeKind = "r";

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public TokenService(byte[] key, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new ArgumentException("the auth secret must be at least 16 bytes", nameof(key));
        }

        _key = key;
        _time = time ?? TimeProvider.System;
    }

    public static TokenService FromSecret(string secret) => new(Encoding.UTF8.GetBytes(secret));

    public string MintPlayerToken(string playerId, string name, TimeSpan ttl) => Mint(PlayerKind, playerId, name, ttl);

    public string MintResumeToken(string playerId, string name, TimeSpan ttl) => Mint(ResumeKind, playerId, name, ttl);

    /// <summary>Verifies signature, kind and expiry; null when any of them is wrong.</summary>
    public TokenClaims? Verify(string? token, string kind)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return null;
        }

        var parts = token.Split('.');
        if (parts.Length != 6 || parts[0] != "v1" || parts[1] != kind)
        {
            return null;
        }

        var signed = string.Join('.', parts, 0, 5);
        byte[] signature;
        try
        {
            signature = Base64Url.Decode(parts[5]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(signed)))
        {
            return null;
        }

        try
        {
            var playerId = Encoding.UTF8.GetString(Base64Url.Decode(parts[2]));
            var name = Encoding.UTF8.GetString(Base64Url.Decode(parts[3]));
            var expires = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Encoding.UTF8.GetString(Base64Url.Decode(parts[4])), System.Globalization.CultureInfo.InvariantCulture));
            return expires <= _time.GetUtcNow() || playerId.Length == 0 ? null : new TokenClaims(playerId, name, expires);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private string Mint(string kind, string playerId, string name, TimeSpan ttl)
    {
        var expires = _time.GetUtcNow().Add(ttl).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signed = string.Join('.', "v1", kind, Base64Url.Encode(playerId), Base64Url.Encode(name), Base64Url.Encode(expires));
        return signed + "." + Base64Url.Encode(Sign(signed));
    }

    private byte[] Sign(string text) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(text));

    private static class Base64Url
    {
        public static string Encode(string text) => Encode(Encoding.UTF8.GetBytes(text));

        public static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static byte[] Decode(string text)
        {
            var s = text.Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            return Convert.FromBase64String(s);
        }
    }
}
