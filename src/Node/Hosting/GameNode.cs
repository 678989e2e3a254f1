using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Configuration;
using AkkaGame.Node.Auth;
using AkkaGame.Node.Dashboard;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Monitoring;
using AkkaGame.Node.Operations;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Placement;
using AkkaGame.Node.Players;
using AkkaGame.Node.Sectors;
using AkkaGame.Node.Sessions;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Endpoint;
using AkkaGame.Operations.Http;
using Microsoft.Data.Sqlite;
using OperatorEndpoint = AkkaGame.Operations.Endpoint.OpsEndpoint;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace AkkaGame.Node.Hosting;

/// <summary>
/// A running game node: actor system in the cluster, sharded sectors and players, the TCP
/// gateway and the operator endpoint. Started by Program and, in-process, by the integration tests.
/// </summary>
public sealed class GameNode : IAsyncDisposable
{
    public const string SystemName = "akkagame";
    public const string GameRole = "game";

    private readonly StreamTcp.ServerBinding _binding;
    private OperatorEndpoint? _ops;
    private HttpEndpoint? _http;
    private WebSocketGateway? _ws;

    /// <summary>Set when the drain starts: the node is no longer ready for new clients.</summary>
    private volatile bool _draining;

    private GameNode(ActorSystem system, GameSettings settings, IActorRef sectors, IActorRef players, IActorRef gateway, StreamTcp.ServerBinding binding, TokenService tokens, GatewayMetrics metrics, PersistenceFailures persistenceFailures)
    {
        System = system;
        Settings = settings;
        Sectors = sectors;
        Players = players;
        Gateway = gateway;
        _binding = binding;
        Tokens = tokens;
        Metrics = metrics;
        PersistenceFailures = persistenceFailures;
    }

    public ActorSystem System { get; }
    public GameSettings Settings { get; }
    public IActorRef Sectors { get; }
    public IActorRef Players { get; }
    public IActorRef Gateway { get; }
    public TokenService Tokens { get; }
    public GatewayMetrics Metrics { get; }
    public PersistenceFailures PersistenceFailures { get; }
    public IPEndPoint GameEndpoint => (IPEndPoint)_binding.LocalAddress;

    /// <summary>Where akkagame-ops connects; null when the endpoint could not bind (see <see cref="OpsProblem"/>).</summary>
    public IPEndPoint? OpsEndpoint => _ops?.LocalEndpoint;

    /// <summary>Why the operator endpoint is not running, for the ready line; null when it runs.</summary>
    public string? OpsProblem { get; private set; }

    /// <summary>The WebSocket gateway and play page for browsers; null when it could not bind (see <see cref="WebSocketProblem"/>).</summary>
    public WebSocketGateway? WebSockets => _ws;

    /// <summary>Why the WebSocket gateway is not running, for the ready line; null when it runs.</summary>
    public string? WebSocketProblem { get; private set; }

    /// <summary>The dashboard, metrics and health endpoint; null when it could not bind (see <see cref="HttpProblem"/>).</summary>
    public HttpEndpoint? Http => _http;

    /// <summary>Why the HTTP endpoint is not running, for the ready line; null when it runs.</summary>
    public string? HttpProblem { get; private set; }

    public static async Task<GameNode> StartAsync(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = GameSettings.Read(new HoconSettingSource(config));
        var dataDir = config.GetString("akkagame.data-dir");
        if (config.GetString("akkagame.db-provider") == "sqlite")
        {
            PrepareSqlite(config.GetString("akka.persistence.journal.sql.connection-string"));
            PrepareSqlite(config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
        }

        var tokens = TokenService.FromSecret(AuthSecret.Resolve(settings.Auth.Secret, dataDir));

        // Checked before anything starts: an endpoint off loopback without a secret must not run.
        var opsSettings = OpsSettings.From(config);
        opsSettings.BindAddress();
        var httpSettings = HttpSettings.From(config);
        httpSettings.BindAddress();
        var system = ActorSystem.Create(SystemName, Setup(config));
        try
        {
            var persistenceFailures = PersistenceFailures.Get(system);
            var cluster = Cluster.Get(system);
            if (cluster.Settings.SeedNodes.Count == 0)
            {
                // No seeds: this node is a cluster of one (the single-node default).
                await cluster.JoinAsync(cluster.SelfAddress);
            }
            else
            {
                // Only in a real cluster: another node can take this one's entities over, so a
                // dead peer is downed as soon as that is provable, and this node fences itself
                // after a stall that may have got it declared dead.
                StallFence.Get(system).Arm();
                system.ActorOf(DeadMemberDowner.Props(), "dead-member-downer");
            }

            // Before this node hosts any entity: its storage's first use is slow (StorageWarmup).
            await StorageWarmup.RunAsync(system, $"{cluster.SelfAddress.Host}:{cluster.SelfAddress.Port}", TimeSpan.FromSeconds(10));

            // Before sharding starts: a hand-off that reaches this node's region after the region
            // stopped (a drain as a shard is allocated here) is answered, not waited out.
            system.ActorOf(StoppedRegionStandIn.Props(), "stopped-region-stand-in");

            // Before sharding: the operators' placement, read by whichever node coordinates sectors.
            SectorPlacement.Get(system);
            var sharding = ClusterSharding.Get(system);
            var shardingSettings = ClusterShardingSettings.Create(system).WithRole(GameRole);
            var sectors = await sharding.StartAsync(
                "sector",
                id => SectorActor.Props(id, settings.World, settings.Sector),
                // Not remember-entities: a sector with players comes back because every session
                // in it watches it and joins again through the region when it stops (see
                // SessionActor.OnTerminated), and reconnecting clients join it too. That restarts
                // exactly the sectors someone is in, without a second store to keep consistent.
                shardingSettings,
                new SectorMessageExtractor(),
                // By load, and where operators pin sectors or reserve nodes (src/Node/Placement).
                new PlacementAllocationStrategy(1000.0 / settings.World.TickHz),
                Messages.Stop.Instance);
            var players = await sharding.StartAsync(
                "player",
                id => PlayerActor.Props(id, settings.World, settings.Player),
                shardingSettings,
                new PlayerMessageExtractor(),
                sharding.DefaultShardAllocationStrategy(shardingSettings),
                Messages.Stop.Instance);

            var metrics = NodeMetrics.Get(system).Gateway;
            var ctx = new SessionContext(settings, tokens, sectors, players, cluster.SelfAddress.ToString(), metrics);
            system.ActorOf(FrameRelay.Props(settings.Sector.Conflation), FrameRelay.Name);
            system.ActorOf(NodeMonitor.Props(), NodeMonitor.Name);
            var gateway = system.ActorOf(GatewayActor.Props(ctx), "gateway");
            var binding = await BindAsync(system, settings.Gateway, gateway);
            var node = new GameNode(system, settings, sectors, players, gateway, binding, tokens, metrics, persistenceFailures);
            await node.StartWebSocketsAsync(config);
            node.RegisterDrain();
            node.StartOps(opsSettings);
            await node.StartHttpAsync(httpSettings);
            return node;
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>The actor system's configuration and how the journal and snapshot store connect (<see cref="PersistenceConnections"/>).</summary>
    public static ActorSystemSetup Setup(Config config)
    {
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        return PersistenceConnections.Setup(config) is { } connections ? setup.And(connections) : setup;
    }

    /// <summary>Leaves the cluster gracefully: drain clients, hand off entities, stop.</summary>
    public Task StopAsync() => CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await System.WhenTerminated;
    }

    /// <summary>
    /// A taken port leaves the node running without the endpoint (and says so in the ready line):
    /// the game matters more than its console, and a node beside a lighthouse on one machine
    /// with both on the default port must not fail to start for that.
    /// </summary>
    private void StartOps(OpsSettings settings) =>
        (_ops, OpsProblem) = OperatorEndpoint.TryStart(System, settings, [.. SharedCommands.All(), .. GameCommands.All(this)]);

    /// <summary>Browsers: the game over WebSocket into the same gateway, and the page to play it.</summary>
    private async Task StartWebSocketsAsync(Config config)
    {
        var host = config.GetString("akkagame.websocket.host", string.Empty) is { Length: > 0 } h ? h : Settings.Gateway.Host;
        (_ws, WebSocketProblem) = await WebSocketGateway.TryStartAsync(host, config.GetInt("akkagame.websocket.port", 7780), Gateway, PlayPage.Map);
        if (_ws is { } ws)
        {
            // The drain stops it first; this covers a node that ends without one (downed, a failed start).
            System.RegisterOnTermination(() => ws.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(3)));
        }
        else
        {
            System.Log.Warning("WebSocket gateway off: {0}", WebSocketProblem);
        }
    }

    /// <summary>
    /// Metrics, health and the dashboard. A taken port leaves the node running without them, as
    /// with the operator endpoint; they stop when the actor system does.
    /// </summary>
    private async Task StartHttpAsync(HttpSettings settings)
    {
        var dashboard = new DashboardData(System, Sectors, Settings.World);
        (_http, HttpProblem) = await HttpEndpoint.TryStartAsync(
            settings,
            "akkagame-node",
            NodeMetrics.Get(System).MeterName,
            ReadinessAsync,
            routes => DashboardRoutes.Map(routes, dashboard, Settings.World));
        if (_http is { } http)
        {
            System.RegisterOnTermination(() => http.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(3)));
        }
        else
        {
            System.Log.Warning("HTTP endpoint off: {0}", HttpProblem);
        }
    }

    /// <summary>
    /// Ready for clients: this member is Up, both shard regions are registered with their
    /// coordinators (so entities can be placed), and the gateway accepts (not draining).
    /// </summary>
    private async Task<Readiness> ReadinessAsync(CancellationToken ct)
    {
        var cluster = Cluster.Get(System);
        if (cluster.SelfMember.Status != MemberStatus.Up)
        {
            return new Readiness(false, $"cluster member {cluster.SelfMember.Status}, not Up");
        }

        if (_draining)
        {
            return new Readiness(false, "draining: clients are sent to other nodes");
        }

        foreach (var (name, region) in new[] { ("sector", Sectors), ("player", Players) })
        {
            try
            {
                var regions = await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, TimeSpan.FromSeconds(2), ct);
                if (!regions.Regions.Any(a => a.Equals(cluster.SelfAddress) || a.HasLocalScope))
                {
                    return new Readiness(false, $"the {name} region is not registered with its coordinator yet");
                }
            }
            catch (AskTimeoutException)
            {
                return new Readiness(false, $"the {name} coordinator did not answer within 2 s");
            }
        }

        return new Readiness(true, $"ready: game clients on {GameEndpoint}");
    }

    /// <summary>
    /// Sessions enforce the protocol's timeouts. The backstop for a connection whose session has
    /// gone and whose client reads nothing is in its stage (<see cref="ConnectionStage"/>: twice
    /// the idle timeout to take the last frames), not the TCP stream's idle timeout, which added
    /// five stages and a repeating timer to every connection. Half-close:
    /// when a session ends the connection, only the write side closes (after the last frame) and
    /// the client's input is still read, so its unread bytes cannot turn the close into a reset
    /// that destroys the last frame; the session closes the rest after a bounded linger. A client
    /// that half-closes ends its session as before.
    /// </summary>
    private static async Task<StreamTcp.ServerBinding> BindAsync(ActorSystem system, GatewaySettings g, IActorRef gateway)
    {
        var options = ImmutableList.Create<Akka.IO.Inet.SocketOption>(new TcpNoDelayOption());
        if (g.SocketSendBuffer > 0)
        {
            options = options.Add(new Akka.IO.Inet.SO.SendBufferSize(g.SocketSendBuffer));
        }

        return await system.TcpStream()
            .Bind(g.Host, g.Port, backlog: 1024, options: options, halfClose: true)
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
            // The gateway refuses new connections from here on (SHUTTING_DOWN); the socket stays bound.
            _draining = true;
            await Gateway.Ask<int>(GatewayActor.StopAccepting.Instance, TimeSpan.FromSeconds(5));

            // Sessions stop once the client has the notice and hangs up, at most close-linger later.
            // A session stuck past the bound does not hold the drain up.
            var bound = Settings.Gateway.CloseLinger + TimeSpan.FromSeconds(1);
            try
            {
                await Gateway.Ask<GatewayActor.SessionsClosed>(new NodeShuttingDown(ReconnectAfterMs: 100), bound);
            }
            catch (AskTimeoutException)
            {
                System.Log.Warning("Drain: sessions still open after {0}; stopping anyway", bound);
            }

            // Unbind last: Akka.IO's listener is the parent of every connection it accepted, so
            // unbinding earlier reset them all before the notice went out.
            await _binding.Unbind();
            if (_ws is { } ws)
            {
                await ws.DisposeAsync();
            }

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
