using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.Event;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Endpoint;

/// <summary>
/// The operator endpoint: a TCP listener speaking newline-delimited JSON (see OpsRequest and
/// OpsReply), alive as long as its actor system. Plain sockets rather than Akka.Streams: a few
/// operator connections need no backpressure machinery, and the endpoint must keep answering
/// while the actor system drains.
/// </summary>
public sealed class OpsEndpoint : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ActorSystem _system;
    private readonly OpsSettings _settings;
    private readonly OpsCommandRegistry _registry;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _connections;
    private int _stopped;

    private OpsEndpoint(TcpListener listener, ActorSystem system, OpsSettings settings, OpsCommandRegistry registry)
    {
        _listener = listener;
        _system = system;
        _settings = settings;
        _registry = registry;
        _log = Akka.Event.Logging.GetLogger(system, typeof(OpsEndpoint));
        LocalEndpoint = (IPEndPoint)listener.LocalEndpoint;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint LocalEndpoint { get; }

    public OpsCommandRegistry Registry => _registry;

    /// <summary>
    /// Binds and starts serving. Throws <see cref="ArgumentException"/> for a configuration that
    /// must not run (non-loopback without a secret) and <see cref="SocketException"/> when the port is taken.
    /// </summary>
    public static OpsEndpoint Start(ActorSystem system, OpsSettings settings, IEnumerable<IOpsCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        var address = settings.BindAddress();
        var registry = new OpsCommandRegistry(commands);
        var listener = new TcpListener(address, settings.Port);
        listener.Start();
        var endpoint = new OpsEndpoint(listener, system, settings, registry);
        system.WhenTerminated.ContinueWith(_ => endpoint.Stop(), TaskScheduler.Default);
        endpoint._log.Info("Operator endpoint listening on {0}{1}", endpoint.LocalEndpoint, settings.Secret.Length > 0 ? " (secret required)" : string.Empty);
        return endpoint;
    }

    /// <summary>
    /// <see cref="Start"/>, but a taken port leaves the process running without its console (a
    /// game node or seed node matters more than its operator endpoint): the problem is logged and
    /// returned, phrased for the ready line.
    /// </summary>
    public static (OpsEndpoint? Endpoint, string? Problem) TryStart(ActorSystem system, OpsSettings settings, IEnumerable<IOpsCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            return (Start(system, settings, commands), null);
        }
        catch (SocketException e)
        {
            var problem = $"cannot listen on {settings.Host}:{settings.Port}: {e.Message}; set --ops-port";
            system.Log.Error("Operator endpoint not started: {0}", problem);
            return (null, problem);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Stop();
        await _acceptLoop;
        _stop.Dispose();
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // A connection that failed while being accepted; the listener itself is fine.
                _log.Warning("Operator endpoint: accepting a connection failed: {0}", e.Message);
                continue;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        client.NoDelay = true;
        if (Interlocked.Increment(ref _connections) > _settings.MaxConnections)
        {
            await RefuseAsync(client);
            Interlocked.Decrement(ref _connections);
            return;
        }

        try
        {
            using var connection = new OpsConnection(client, _system, _settings, _registry, _log);
            await connection.RunAsync(_stop.Token);
        }
        catch (Exception e)
        {
            // Belt and braces: a bug in one connection is logged and never reaches the node.
            _log.Error(e, "Operator connection failed");
        }
        finally
        {
            Interlocked.Decrement(ref _connections);
        }
    }

    private async Task RefuseAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var refusal = OpsReply.Failure($"the operator endpoint already serves {_settings.MaxConnections} connections; try again later", OpsExitCodes.Failed);
                await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(refusal.ToJsonLine() + "\n"), _stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                _log.Debug("Operator endpoint: refusing a connection: {0}", e.Message);
            }
        }
    }
}
