using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AkkaGame.Operations.Http;

/// <summary>
/// One small Kestrel server on one address and port (the HTTP endpoint, the WebSocket gateway):
/// no ASP.NET logging (the process logs through Akka), a port that is taken reported instead of
/// thrown, port 0 resolved to the port it got, and a bounded stop.
/// </summary>
public sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    private KestrelHost(WebApplication app, IPEndPoint local)
    {
        _app = app;
        LocalEndpoint = local;
    }

    public IPEndPoint LocalEndpoint { get; }

    /// <param name="what">What the server is, for the problem text ("HTTP", "WebSocket").</param>
    /// <param name="services">Services to add before the app is built (metrics).</param>
    /// <param name="configure">The app's middleware and routes.</param>
    public static async Task<(KestrelHost? Host, string? Problem)> TryStartAsync(
        string what,
        IPAddress address,
        int port,
        Action<IServiceCollection>? services,
        Action<WebApplication> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        services?.Invoke(builder.Services);
        var app = builder.Build();
        configure(app);
        try
        {
            await app.StartAsync();
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            await app.DisposeAsync();
            return (null, $"{what} port {address}:{port} not available ({e.GetBaseException().Message})");
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (new KestrelHost(app, new IPEndPoint(address, new Uri(bound).Port)), null);
    }

    /// <summary>Stops within 2 s: open requests (an event stream, a WebSocket) are cut after that. Once; later calls return at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(bounded.Token);
        await _app.DisposeAsync();
    }
}
