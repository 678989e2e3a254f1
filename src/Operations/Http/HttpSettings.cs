using System.Net;
using Akka.Configuration;
using AkkaGame.Operations.Endpoint;

namespace AkkaGame.Operations.Http;

/// <summary>The HTTP endpoint's settings, from <c>akkagame.http</c> (hocon/http.conf) and the operator secret.</summary>
public sealed record HttpSettings
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 8080;

    /// <summary>The operator secret (<c>akkagame.ops.secret</c>): what the dashboard asks for off loopback.</summary>
    public string Secret { get; init; } = string.Empty;

    public static HttpSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new HttpSettings
        {
            Host = config.GetString("akkagame.http.host", "127.0.0.1"),
            Port = config.GetInt("akkagame.http.port", 8080),
            Secret = config.GetString("akkagame.ops.secret", string.Empty) ?? string.Empty,
        };
    }

    public IPAddress BindAddress() => ListenAddress.Parse(Host, Port, "http");
}
