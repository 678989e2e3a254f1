using System.Net;
using System.Net.Sockets;
using AkkaGame.Bench.PeerCommon;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Hosting;
using Orleans.Runtime.Hosting;

namespace AkkaGame.Bench.Orleans;

/// <summary>
/// The Orleans peer: one silo host with localhost clustering and Orleans' in-memory grain
/// storage, a grain per sector and per player, and the game's TCP gateway as a hosted service
/// in the same host.
/// </summary>
public sealed class OrleansPeerServer(PeerSettings settings) : IPeerServer
{
    public const string PeerName = "orleans";

    /// <summary>
    /// The grain storage provider: SQLite (<see cref="SqliteGrainStorage"/>) with a store, the
    /// default, so grains store what the node stores before they answer; else Orleans' in-memory one.
    /// </summary>
    public const string Storage = "peer";

    private PeerStore? _store;

    private IHost? _host;
    private bool _stopped;

    public string Name => PeerName;

    public FaultLog Faults { get; } = new(PeerName);

    public async Task<IPEndPoint> StartAsync(CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        // Warnings and errors only, and to stderr: stdout carries the ready line the benchmark reads.
        builder.Logging.SetMinimumLevel(LogLevel.Warning)
            .AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);

        // PeerProgram handles Ctrl+C and SIGTERM and stops the host itself.
        builder.Services.AddSingleton<IHostLifetime, ExternalLifetime>();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(Faults);
        _store = settings.OpenStore();
        builder.UseOrleans(silo =>
        {
            // A free silo port per run so several silos (tests, benchmark runs) can share the
            // machine; gateway port 0: no Orleans clients connect, only game clients.
            silo.UseLocalhostClustering(siloPort: FreeLoopbackPort(), gatewayPort: 0);
            if (_store is { } store)
            {
                silo.Services.AddGrainStorage(Storage, (services, _) => new SqliteGrainStorage(store, services.GetRequiredService<global::Orleans.Serialization.Serializer>()));
            }
            else
            {
                silo.AddMemoryGrainStorage(Storage);
            }
        });

        // After UseOrleans: hosted services start in order, so the gateway opens once the silo is up.
        builder.Services.AddSingleton<GameGateway>();
        builder.Services.AddHostedService(services => services.GetRequiredService<GameGateway>());

        _host = builder.Build();
        await _host.StartAsync(ct);
        return _host.Services.GetRequiredService<GameGateway>().Endpoint;
    }

    public async Task StopAsync()
    {
        if (_host is null || _stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        else
        {
            _host?.Dispose();
        }

        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>A host lifetime that leaves signals to the caller.</summary>
    private sealed class ExternalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
