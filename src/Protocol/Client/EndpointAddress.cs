using System.Globalization;

namespace AkkaGame.Protocol.Client;

/// <summary>One "host:port" from <see cref="GameClientOptions.Endpoints"/>, parsed once up front.</summary>
internal sealed class EndpointAddress
{
    private EndpointAddress(string text, string host, int port)
    {
        Text = text;
        Host = host;
        Port = port;
    }

    public string Text { get; }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Parses "host:port" or "[ipv6]:port"; throws <see cref="ArgumentException"/> otherwise.</summary>
    public static EndpointAddress Parse(string text)
    {
        var colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1)
        {
            throw new ArgumentException($"endpoint '{text}' is not host:port", nameof(text));
        }

        var host = text.Substring(0, colon);
        if (host.Length > 2 && host[0] == '[' && host[host.Length - 1] == ']')
        {
            host = host.Substring(1, host.Length - 2);
        }

        if (!int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port < 1 || port > 65535)
        {
            throw new ArgumentException($"endpoint '{text}' has no valid port", nameof(text));
        }

        return new EndpointAddress(text, host, port);
    }

    public override string ToString() => Text;
}
