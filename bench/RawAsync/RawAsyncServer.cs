using System.Net;
using System.Net.Sockets;
using AkkaGame.Bench.PeerCommon;

namespace AkkaGame.Bench.RawAsync;

/// <summary>
/// The hand-tuned peer, no actors: async sockets (one accept loop; per connection a read loop
/// that holds no buffer while idle and a batching writer over a bounded queue), one
/// single-threaded loop per sector, players in a concurrent dictionary with a lock per player.
/// Everything lives in memory.
/// </summary>
public sealed class RawAsyncServer(PeerSettings settings) : IPeerServer
{
    public const string PeerName = "raw-async";

    private readonly RawWorld _world = new(settings);
    private readonly SessionSet _sessions = new();
    private AsyncAcceptor? _acceptor;
    private bool _stopped;

    public string Name => PeerName;

    public FaultLog Faults => _world.Faults;

    public Task<IPEndPoint> StartAsync(CancellationToken ct)
    {
        _acceptor = new AsyncAcceptor(settings.Port, ServeAsync);
        return Task.FromResult(_acceptor.Endpoint);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_acceptor is not null)
        {
            _acceptor.Dispose();
            await _acceptor.Accepting;
        }

        await _sessions.ShutDownAllAsync(settings.CloseLinger + TimeSpan.FromSeconds(1));
        await _world.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _sessions.DisposeAsync();
    }

    private async Task ServeAsync(Socket socket)
    {
        using var session = new RawSession(socket, _world);
        _sessions.Add(session);
        try
        {
            await session.RunAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Faults.Report($"connection {session.ConnectionId}", e);
        }
        finally
        {
            _sessions.Remove(session);
        }
    }
}
