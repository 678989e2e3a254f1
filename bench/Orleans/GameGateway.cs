using System.Net;
using System.Net.Sockets;
using AkkaGame.Bench.PeerCommon;
using AkkaGame.Game.Auth;
using Microsoft.Extensions.Hosting;
using Orleans;

namespace AkkaGame.Bench.Orleans;

/// <summary>
/// The TCP gateway inside the silo host, speaking the game protocol: it accepts connections and
/// runs one <see cref="OrleansSession"/> per connection, which calls grains. Registered after the
/// silo, so it starts once the silo is up and stops (telling clients) before the silo does.
/// </summary>
internal sealed class GameGateway(IGrainFactory grains, PeerSettings settings, FaultLog faults) : IHostedService, IAsyncDisposable
{
    private readonly TokenService _tokens = TokenService.FromSecret(settings.AuthSecret);
    private readonly SessionSet _sessions = new();
    private AsyncAcceptor? _acceptor;

    public IPEndPoint Endpoint => _acceptor?.Endpoint ?? throw new InvalidOperationException("the gateway has not started");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _acceptor = new AsyncAcceptor(settings.Port, ServeAsync);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_acceptor is not null)
        {
            _acceptor.Dispose();
            await _acceptor.Accepting;
        }

        await _sessions.ShutDownAllAsync(settings.CloseLinger + TimeSpan.FromSeconds(1));
    }

    public async ValueTask DisposeAsync()
    {
        _acceptor?.Dispose();
        await _sessions.DisposeAsync();
    }

    private async Task ServeAsync(Socket socket)
    {
        using var session = new OrleansSession(socket, grains, settings, _tokens, faults);
        _sessions.Add(session);
        try
        {
            await session.RunAsync();

            // Counted as live until detached, so a stop waits for it before the silo goes.
            await session.Detached;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            faults.Report($"connection {session.ConnectionId}", e);
        }
        finally
        {
            _sessions.Remove(session);
        }
    }
}
