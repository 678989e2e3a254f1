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
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private Task _accepting = Task.CompletedTask;
    private bool _stopped;

    public string Name => PeerName;

    public FaultLog Faults => _world.Faults;

    public Task<IPEndPoint> StartAsync(CancellationToken ct)
    {
        _listener.Bind(new IPEndPoint(IPAddress.Parse(PeerSettings.Host), settings.Port));
        _listener.Listen(1024);
        _accepting = AcceptLoopAsync();
        return Task.FromResult((IPEndPoint)_listener.LocalEndPoint!);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _listener.Dispose();
        await _accepting;
        await _sessions.ShutDownAllAsync(settings.CloseLinger + TimeSpan.FromSeconds(1));
        await _world.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _sessions.DisposeAsync();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The listener was closed by StopAsync: no more connections.
                return;
            }

            _ = ServeAsync(socket);
        }
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
