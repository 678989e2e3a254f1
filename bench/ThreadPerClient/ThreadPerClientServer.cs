using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AkkaGame.Bench.PeerCommon;

namespace AkkaGame.Bench.ThreadPerClient;

/// <summary>
/// The naive peer: a blocking accept thread, one OS thread per client with blocking socket reads
/// and writes, one ticker thread, and one global lock around the whole world. Everything lives
/// in memory.
/// </summary>
public sealed class ThreadPerClientServer(PeerSettings settings) : IPeerServer
{
    public const string PeerName = "thread-per-client";

    private readonly World _world = new(settings);
    private readonly SessionSet _sessions = new();
    private readonly TcpListener _listener = new(IPAddress.Parse(PeerSettings.Host), settings.Port);
    private readonly ManualResetEventSlim _stopping = new();
    private readonly List<Thread> _clientThreads = [];
    private Thread? _acceptThread;
    private Thread? _tickThread;
    private bool _stopped;

    public string Name => PeerName;

    public FaultLog Faults => _world.Faults;

    public Task<IPEndPoint> StartAsync(CancellationToken ct)
    {
        _listener.Start(1024);
        _acceptThread = new Thread(AcceptLoop) { Name = "accept", IsBackground = true };
        _tickThread = new Thread(TickLoop) { Name = "ticker", IsBackground = true };
        _acceptThread.Start();
        _tickThread.Start();
        return Task.FromResult((IPEndPoint)_listener.LocalEndpoint);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        _listener.Stop();
        _acceptThread?.Join();
        await _sessions.ShutDownAllAsync(settings.CloseLinger + TimeSpan.FromSeconds(1));
        _stopping.Set();
        _tickThread?.Join();
        Thread[] clients;
        lock (_clientThreads)
        {
            clients = [.. _clientThreads];
        }

        foreach (var thread in clients)
        {
            // Each ended or was dropped by its close linger; the bound only guards against a bug.
            thread.Join(settings.CloseLinger);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _sessions.DisposeAsync();
        _listener.Dispose();
        _stopping.Dispose();
        if (_world.Store is not null)
        {
            await _world.Store.DisposeAsync();
        }
    }

    private void AcceptLoop()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = _listener.AcceptSocket();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // StopAsync stopped the listener: no more clients.
                return;
            }

            var thread = new Thread(() => Serve(socket)) { Name = "client", IsBackground = true };
            lock (_clientThreads)
            {
                _clientThreads.RemoveAll(t => !t.IsAlive);
                _clientThreads.Add(thread);
            }

            thread.Start();
        }
    }

    private void Serve(Socket socket)
    {
        using var session = new ClientSession(socket, _world);
        _sessions.Add(session);
        try
        {
            session.Run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in one client's handling must not take the process (and every client) down.
            Faults.Report($"connection {session.ConnectionId}", e);
        }
        finally
        {
            _sessions.Remove(session);
        }
    }

    /// <summary>Ticks every sector at tick-hz under the global lock; a late tick is not made up.</summary>
    private void TickLoop()
    {
        var period = Stopwatch.Frequency / settings.World.TickHz;
        var next = Stopwatch.GetTimestamp() + period;
        while (!_stopping.IsSet)
        {
            var wait = next - Stopwatch.GetTimestamp();
            if (wait > 0 && _stopping.Wait(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency)))
            {
                return;
            }

            lock (_world.Sync)
            {
                _world.Tick(Environment.TickCount64);
            }

            next += period;
            var now = Stopwatch.GetTimestamp();
            if (next < now)
            {
                next = now + period;
            }
        }
    }
}
