using System.Globalization;

namespace AkkaGame.Ops;

/// <summary>The endpoint argument: "host:port", "[::1]:port".</summary>
public sealed record HostPort(string Host, int Port)
{
    public static bool TryParse(string text, out HostPort endpoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        endpoint = null!;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Length == 0)
        {
            return false;
        }

        endpoint = new HostPort(host, port);
        return true;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
