using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaGame.Node.Auth;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Players;
using AkkaGame.Node.Sectors;
using AkkaGame.Node.Sessions;
using Microsoft.Data.Sqlite;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace AkkaGame.Node.Hosting;

/// <summary>
/// A running game node: actor system in the cluster, sharded sectors and players, and the
/// TCP gateway. Started by Program and, in-process, by the integration tests.
/// </summary>
public sealed class GameNode : IAsyncDisposable
{
    public const string SystemName = "akkagame";
    public const string GameRole = "game";

    private readonly StreamTcp.ServerBinding _binding;

    private GameNode(ActorSystem system, GameSettings settings, IActorRef sectors, IActorRef players, IActorRef gateway, StreamTcp.ServerBinding binding, TokenService tokens, GatewayMetrics metrics)
    {
        System = system;
        Settings = settings;
        Sectors = sectors;
        Players = players;
        Gateway = gateway;
        _binding = binding;
        Tokens = tokens;
        Metrics = metrics;
    }

    public ActorSystem System { get; }
    public GameSettings Settings { get; }
    public IActorRef Sectors { get; }
    public IActorRef Players { get; }
    public IActorRef Gateway { get; }
    public TokenService Tokens { get; }
    public GatewayMetrics Metrics { get; }
    public IPEndPoint GameEndpoint => (IPEndPoint)_binding.LocalAddress;

    public static async Task<GameNode> StartAsync(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = GameSettings.From(config);
        var dataDir = config.GetString("akkagame.data-dir");
        if (config.GetString("akkagame.db-provider") == "sqlite")
        {
            PrepareSqlite(config.GetString("akka.persistence.journal.sql.connection-string"));
        }

        var tokens = TokenService.FromSecret(AuthSecret.Resolve(settings.Auth.Secret, dataDir));
        var system = ActorSystem.Create(SystemName, config);
        try
        {
            var cluster = Cluster.Get(system);
            if (cluster.Settings.SeedNodes.Count == 0)
            {
                // No seeds: this node is a cluster of one (the single-node default).
                await cluster.JoinAsync(cluster.SelfAddress);
            }

            var sharding = ClusterSharding.Get(system);
            var shardingSettings = ClusterShardingSettings.Create(system).WithRole(GameRole);
            var sectors = await sharding.StartAsync(
                "sector",
                id => SectorActor.Props(id, settings.World, settings.Sector),
                shardingSettings.WithRememberEntities(true),
                new SectorMessageExtractor(),
                sharding.DefaultShardAllocationStrategy(shardingSettings),
                Messages.Stop.Instance);
            var players = await sharding.StartAsync(
                "player",
                id => PlayerActor.Props(id, settings.World, settings.Player),
                shardingSettings,
                new PlayerMessageExtractor(),
                sharding.DefaultShardAllocationStrategy(shardingSettings),
                Messages.Stop.Instance);

            var metrics = new GatewayMetrics();
            var ctx = new SessionContext(settings, tokens, sectors, players, cluster.SelfAddress.ToString(), metrics);
            var gateway = system.ActorOf(GatewayActor.Props(ctx), "gateway");
            var binding = await BindAsync(system, settings.Gateway, gateway);
            var node = new GameNode(system, settings, sectors, players, gateway, binding, tokens, metrics);
            node.RegisterDrain();
            return node;
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>Leaves the cluster gracefully: drain clients, hand off entities, stop.</summary>
    public Task StopAsync() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await System.WhenTerminated;
    }

    /// <summary>
    /// Sessions enforce the protocol's timeouts; the stream's own idle timeout (twice as long)
    /// is the backstop that frees a connection whose client neither reads nor writes.
    /// </summary>
    private static async Task<StreamTcp.ServerBinding> BindAsync(ActorSystem system, GatewaySettings g, IActorRef gateway)
    {
        var options = ImmutableList.Create<Akka.IO.Inet.SocketOption>(new TcpNoDelayOption());
        if (g.SocketSendBuffer > 0)
        {
            options = options.Add(new Akka.IO.Inet.SO.SendBufferSize(g.SocketSendBuffer));
        }

        return await system.TcpStream()
            .Bind(g.Host, g.Port, backlog: 1024, options: options, halfClose: false, idleTimeout: g.IdleTimeout * 2)
            .To(Sink.ForEach<StreamTcp.IncomingConnection>(c => gateway.Tell(c)))
            .Run(system.Materializer());
    }

    /// <summary>
    /// On shutdown (SIGTERM, Ctrl+C, drain): stop accepting, tell every client to resume
    /// elsewhere, then let sharding hand off sectors, which snapshot as they stop.
    /// </summary>
    private void RegisterDrain()
    {
        var shutdown = CoordinatedShutdown.Get(System);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "drain-clients", async () =>
        {
            await Gateway.Ask<int>(GatewayActor.StopAccepting.Instance, TimeSpan.FromSeconds(5));
            await _binding.Unbind();
            Gateway.Tell(new NodeShuttingDown(ReconnectAfterMs: 500));
            return Akka.Done.Instance;
        });
    }

    /// <summary>
    /// WAL lets the snapshot store read while the journal writes; the directory must exist
    /// before SQLite can create the file.
    /// </summary>
    private static void PrepareSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } dir)
        {
            Directory.CreateDirectory(dir);
        }

        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
