using System.Diagnostics.Metrics;
using Akka.Actor;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Sessions;
using AkkaGame.Operations.Http;

namespace AkkaGame.Node.Monitoring;

/// <summary>
/// This node's metrics, as System.Diagnostics.Metrics instruments on one <see cref="Meter"/>
/// (exported as Prometheus text by the HTTP endpoint; every name is listed in docs/metrics.md).
/// Counters kept for operators anyway (<see cref="GatewayMetrics"/>, <see cref="SectorLoads"/>,
/// <see cref="PersistenceFailures"/>) are read when scraped; tick and storage times are
/// histograms the entities record into. An Akka extension, so sharded entities reach it.
/// </summary>
public sealed class NodeMetrics : IExtension, IDisposable
{
    /// <summary>How many sectors get a series of their own in akkagame_sector_tick_p99_seconds: the slowest ones.</summary>
    public const int HotSectors = 5;

    private static int s_instances;

    private readonly Histogram<double> _tickDuration;
    private readonly Histogram<double> _hotSectorTickDuration;
    private readonly Histogram<double> _writeDuration;
    private readonly Counter<long> _handoffs;
    private readonly Counter<long> _deltasSkipped;
    private readonly Counter<long> _resyncs;

    private NodeMetrics(ActorSystem system)
    {
        // One node per process in production; tests run several in one process, and an exporter
        // picks meters by name, so every further node's meter gets a name of its own.
        var n = Interlocked.Increment(ref s_instances);
        MeterName = n == 1 ? "AkkaGame.Node" : $"AkkaGame.Node.{n}";
        Meter = new Meter(MeterName);
        var gateway = Gateway;
        var sectors = SectorLoads.Get(system);
        var failures = PersistenceFailures.Get(system);

        Meter.CreateObservableUpDownCounter("akkagame.connections", () => gateway.Connections, "{connection}", "Open client connections.");
        Meter.CreateObservableCounter("akkagame.connections.accepted", () => gateway.Accepted, "{connection}", "Client connections accepted since start.");
        Meter.CreateObservableCounter("akkagame.logins", () => new[]
        {
            Tagged(gateway.Logins, "result", "ok"),
            Tagged(gateway.LoginsBusy, "result", "server_busy"),
            Tagged(gateway.LoginsFailed, "result", "internal"),
        }, "{login}", "Logins by outcome: ok (Welcome sent), server_busy (not loaded within the login budget), internal.");
        Meter.CreateObservableCounter("akkagame.messages.received", () => gateway.MessagesIn, "{message}", "Frames received from clients.");
        Meter.CreateObservableCounter("akkagame.messages.sent", () => gateway.MessagesOut, "{message}", "Frames queued to clients.");
        Meter.CreateObservableCounter("akkagame.received", () => gateway.BytesIn, "By", "Bytes received from clients (frames with their length prefix).");
        Meter.CreateObservableCounter("akkagame.sent", () => gateway.BytesOut, "By", "Bytes queued to clients (frames with their length prefix).");
        Meter.CreateObservableCounter(
            "akkagame.errors.answered",
            () => gateway.ErrorsByCode().Select(e => Tagged(e.Count, "code", Code(e.Code))),
            "{message}",
            "Client messages answered with a non-fatal error, by protocol error code (rate_limited, invalid_input, cooldown, ...).");
        Meter.CreateObservableCounter(
            "akkagame.errors.fatal",
            () => gateway.FatalByCode().Select(e => Tagged(e.Count, "code", Code(e.Code))),
            "{connection}",
            "Connections closed with a fatal error, by protocol error code.");

        _tickDuration = Meter.CreateHistogram<double>(
            "akkagame.tick.duration",
            "s",
            "Time one sector tick takes on this node (simulation and encoding the delta), every sector's ticks together.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] });
        _hotSectorTickDuration = Meter.CreateHistogram<double>(
            "akkagame.sector.tick.duration",
            "s",
            $"Tick time of each hot sector (tick p99 over {HotShare:P0} of its tick interval), by sector: recorded while it is hot.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25] });
        Meter.CreateObservableGauge(
            "akkagame.sector.tick.p99",
            () => sectors.All().OrderByDescending(s => s.TickMillisP99).Take(HotSectors)
                .Select(s => Tagged(s.TickMillisP99 / 1000.0, "sector", s.SectorId)),
            "s",
            $"Tick time p99 over the last 256 ticks of the {HotSectors} slowest sectors on this node.");
        Meter.CreateObservableGauge(
            "akkagame.sector.time_dilation",
            () => sectors.All().Where(s => s.TimeDilation < 1).Select(s => Tagged((double)s.TimeDilation, "sector", s.SectorId)),
            "1",
            "Game-time speed of each dilated sector on this node (1 = full speed; sectors at full speed have no series).");
        _deltasSkipped = Meter.CreateCounter<long>(
            "akkagame.deltas.skipped",
            "{delta}",
            "Sector deltas not queued for a player whose connection was behind (conflation: it gets a fresh snapshot once drained).");
        _resyncs = Meter.CreateCounter<long>(
            "akkagame.resyncs",
            "{snapshot}",
            "Fresh snapshots sent to players whose connections had fallen behind and drained (conflation).");
        Meter.CreateObservableUpDownCounter("akkagame.sectors", () => sectors.All().Count, "{sector}", "Sectors running on this node.");
        Meter.CreateObservableUpDownCounter("akkagame.ships", () => sectors.All().Sum(s => s.Ships), "{ship}", "Ships in the sectors on this node, connected or in reconnect grace.");
        Meter.CreateObservableUpDownCounter("akkagame.players", () => sectors.All().Sum(s => s.ConnectedShips), "{player}", "Connected players in the sectors on this node.");

        _writeDuration = Meter.CreateHistogram<double>(
            "akkagame.persistence.write.duration",
            "s",
            "From an entity's write to the journal's confirmation, by entity (sector, player): what a durable answer waits for.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        Meter.CreateObservableCounter("akkagame.persistence.failures", () => failures.Count, "{failure}", "Storage failures of this node's entities: failed or refused writes, failed recoveries, failed snapshots.");
        _handoffs = Meter.CreateCounter<long>("akkagame.handoffs", "{entity}", "Entities stopped here by sharding to move to another node (rebalance, drain, leaving), by entity.");

        // The cluster's members, where there is a cluster (entities also run in plain actor
        // systems: the actor tests).
        if (((ExtendedActorSystem)system).Provider is Akka.Cluster.ClusterActorRefProvider)
        {
            ClusterMetrics.Observe(Meter, Akka.Cluster.Cluster.Get(system));
        }
    }

    public string MeterName { get; }

    public Meter Meter { get; }

    /// <summary>The gateway's counters, shared by every session of this node.</summary>
    public GatewayMetrics Gateway { get; } = new();

    public static NodeMetrics Get(ActorSystem system) => system.WithExtension<NodeMetrics, Provider>();

    /// <summary>A sector is hot while its tick p99 takes more than this share of its tick interval.</summary>
    public const double HotShare = 0.25;

    public void TickTook(TimeSpan elapsed) => _tickDuration.Record(elapsed.TotalSeconds);

    /// <summary>A hot sector's tick, in its own series as well.</summary>
    public void HotSectorTickTook(string sectorId, TimeSpan elapsed) =>
        _hotSectorTickDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("sector", sectorId));

    public void WriteTook(string entity, TimeSpan elapsed) => _writeDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("entity", entity));

    public void DeltasSkipped(int count) => _deltasSkipped.Add(count);

    public void Resynced(int count) => _resyncs.Add(count);

    public void HandedOff(string entity) => _handoffs.Add(1, new KeyValuePair<string, object?>("entity", entity));

    public void Dispose() => Meter.Dispose();

    private static Measurement<long> Tagged(long value, string key, string tag) => new(value, new KeyValuePair<string, object?>(key, tag));

    private static Measurement<double> Tagged(double value, string key, string tag) => new(value, new KeyValuePair<string, object?>(key, tag));

    /// <summary>RateLimited -> rate_limited: the protocol's own name, as a label value.</summary>
    private static string Code(Akkagame.V1.ErrorCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private sealed class Provider : ExtensionIdProvider<NodeMetrics>
    {
        public override NodeMetrics CreateExtension(ExtendedActorSystem system)
        {
            var metrics = new NodeMetrics(system);
            system.RegisterOnTermination(metrics.Dispose);
            return metrics;
        }
    }
}
