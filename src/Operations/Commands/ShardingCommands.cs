using Akka.Actor;
using Akka.Cluster.Sharding;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary><c>cluster sharding regions|region-stats|shard-stats</c>.</summary>
public static class ShardingCommands
{
    public static IEnumerable<IOpsCommand> Create()
    {
        yield return new OpsCommand(
            "cluster sharding regions",
            string.Empty,
            "the shard region types on this node, the nodes hosting each, and this node's shards and entities",
            RegionsAsync);
        yield return new OpsCommand(
            "cluster sharding region-stats",
            "TYPE",
            "shards and entities of TYPE on every node (GetClusterShardingStats)",
            RegionStatsAsync);
        yield return new OpsCommand(
            "cluster sharding shard-stats",
            "TYPE",
            "this node's shards of TYPE and the entities in each (GetShardRegionState)",
            ShardStatsAsync);
    }

    /// <summary>The local shard region of a type; a clear failure when this node has none.</summary>
    public static IActorRef Region(ActorSystem system, string type)
    {
        ArgumentNullException.ThrowIfNull(system);
        var types = TypeNames(system);
        if (!types.Contains(type))
        {
            throw new OpsCommandException(types.Count == 0
                ? "this node hosts no shard regions (sharding runs on the game nodes; ask one of them)"
                : $"no shard region '{type}' on this node; there are: {string.Join(", ", types)}");
        }

        return ClusterSharding.Get(system).ShardRegion(type);
    }

    /// <summary>Shard type names started here; none (without starting sharding) on a node that never used it.</summary>
    public static IReadOnlyList<string> TypeNames(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return system.HasExtension<ClusterSharding>()
            ? ClusterSharding.Get(system).ShardTypeNames.Order(StringComparer.Ordinal).ToList()
            : [];
    }

    private static async Task<OpsReply> RegionsAsync(OpsRequestContext ctx)
    {
        ctx.Args.Expect(0, 0);
        var rows = new List<(string Type, List<string> Nodes, int Shards, int Entities)>();
        foreach (var type in TypeNames(ctx.System))
        {
            var region = ClusterSharding.Get(ctx.System).ShardRegion(type);
            var regions = await region.Ask<CurrentRegions>(GetCurrentRegions.Instance, ctx.Timeout);
            var local = await region.Ask<ShardRegionStats>(GetShardRegionStats.Instance, ctx.Timeout);
            var nodes = regions.Regions.Select(a => ClusterAddresses.Normalize(ctx.System, a).ToString()).Order(StringComparer.Ordinal).ToList();
            rows.Add((type, nodes, local.Stats.Count, local.Stats.Values.Sum()));
        }

        var table = OpsTable.Of(
            ["TYPE", "NODES", "LOCAL SHARDS", "LOCAL ENTITIES"],
            rows.Select(r => (IReadOnlyList<string>)[r.Type, r.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Num(r.Shards), Num(r.Entities)]));
        var text = rows.Count == 0 ? "this node hosts no shard regions" : null;
        return OpsReply.Success(table, text, rows.Select(r => new { type = r.Type, nodes = r.Nodes, localShards = r.Shards, localEntities = r.Entities }).ToList());
    }

    private static async Task<OpsReply> RegionStatsAsync(OpsRequestContext ctx)
    {
        ctx.Args.Expect(1, 1);
        var type = ctx.Args.Required(0);
        var region = Region(ctx.System, type);
        var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(ctx.Timeout), ctx.Timeout + TimeSpan.FromSeconds(1));
        var regions = stats.Regions
            .Select(kv => new
            {
                node = ClusterAddresses.Normalize(ctx.System, kv.Key).ToString(),
                shards = kv.Value.Stats.Count,
                entities = kv.Value.Stats.Values.Sum(),
                failedShards = kv.Value.Failed.Order(StringComparer.Ordinal).ToList(),
                entitiesPerShard = kv.Value.Stats.OrderBy(s => s.Key, StringComparer.Ordinal).ToDictionary(s => s.Key, s => s.Value),
            })
            .OrderBy(r => r.node, StringComparer.Ordinal)
            .ToList();
        var table = OpsTable.Of(
            ["NODE", "SHARDS", "ENTITIES", "FAILED"],
            regions.Select(r => (IReadOnlyList<string>)[r.node, Num(r.shards), Num(r.entities), r.failedShards.Count == 0 ? "-" : string.Join(',', r.failedShards)]));
        var text = $"{type}: {regions.Sum(r => r.shards)} shards, {regions.Sum(r => r.entities)} entities on {regions.Count} nodes";
        return OpsReply.Success(table, text, new { type, regions });
    }

    private static async Task<OpsReply> ShardStatsAsync(OpsRequestContext ctx)
    {
        ctx.Args.Expect(1, 1);
        var type = ctx.Args.Required(0);
        var region = Region(ctx.System, type);
        var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, ctx.Timeout);
        var shards = state.Shards
            .OrderBy(s => s.ShardId, StringComparer.Ordinal)
            .Select(s => new { shard = s.ShardId, entities = s.EntityIds.Order(StringComparer.Ordinal).ToList() })
            .ToList();
        var table = OpsTable.Of(
            ["SHARD", "ENTITIES", "ENTITY IDS"],
            shards.Select(s => (IReadOnlyList<string>)[s.shard, Num(s.entities.Count), Preview(s.entities)]));
        var node = Akka.Cluster.Cluster.Get(ctx.System).SelfAddress.ToString();
        var text = $"{type} on {node}: {shards.Count} shards, {shards.Sum(s => s.entities.Count)} entities";
        return OpsReply.Success(table, text, new { type, node, shards, failedShards = state.Failed.Order(StringComparer.Ordinal).ToList() });
    }

    private static string Preview(List<string> ids) =>
        ids.Count <= 5 ? string.Join(", ", ids) : string.Join(", ", ids.Take(5)) + $", ... ({ids.Count - 5} more)";

    private static string Num(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
