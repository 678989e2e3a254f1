using System.Net;
using Akka.Configuration;

namespace AkkaGame.Operations.Endpoint;

/// <summary>The operator endpoint's settings, from <c>akkagame.ops</c> (hocon/ops.conf).</summary>
public sealed record OpsSettings
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 9110;

    /// <summary>Empty: no authentication, allowed only on a loopback address.</summary>
    public string Secret { get; init; } = string.Empty;

    public int MaxLineBytes { get; init; } = 64 * 1024;

    public int MaxConnections { get; init; } = 16;

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static OpsSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var c = config.GetConfig("akkagame.ops");
        if (c is null || c.IsEmpty)
        {
            return new OpsSettings();
        }

        return new OpsSettings
        {
            Host = c.GetString("host", "127.0.0.1"),
            Port = c.GetInt("port", 9110),
            Secret = c.GetString("secret", string.Empty) ?? string.Empty,
            MaxLineBytes = (int)(c.GetByteSize("max-line-bytes") ?? 64 * 1024),
            MaxConnections = c.GetInt("max-connections", 16),
            CommandTimeout = c.GetTimeSpan("command-timeout", TimeSpan.FromSeconds(10)),
        };
    }

    /// <summary>
    /// The address to bind. Anything but loopback can be reached from other machines, so it
    /// needs a secret: refusing to start is better than an open door to "cluster down".
    /// </summary>
    public IPAddress BindAddress()
    {
        var address = ListenAddress.Parse(Host, Port, "ops");
        if (!IPAddress.IsLoopback(address) && string.IsNullOrEmpty(Secret))
        {
            throw new ArgumentException(
                $"the operator endpoint binds to {Host}, which is not loopback: set --ops-secret (or AKKAGAME_OPS_SECRET) so only operators can use it");
        }

        return address;
    }
}
