using System.Net;

namespace AkkaGame.Operations.Endpoint;

/// <summary>The one check of a host and port to listen on, for every endpoint a process opens (operators, HTTP, WebSocket).</summary>
public static class ListenAddress
{
    /// <param name="option">The option's stem for the message: "ops" names --ops-host and --ops-port.</param>
    public static IPAddress Parse(string host, int port, string option)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"--{option}-port: {port} is not a port");
        }

        return host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"--{option}-host: '{host}' is not an IP address (use 127.0.0.1, 0.0.0.0 or an interface's address)");
    }
}
