using Akka.Cluster.Sharding;
using AkkaGame.Node.Messages;

namespace AkkaGame.Node.Hosting;

/// <summary>
/// Routes sector messages by sector id. 100 shards: ten times the largest cluster we plan
/// (ten nodes), so rebalancing moves small groups of the 64 default sectors.
/// </summary>
public sealed class SectorMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as IWithSectorId)?.SectorId;
}

/// <summary>
/// Routes player messages by player id. 100 shards for the same reason as sectors; players are
/// many and small, so each shard holds many.
/// </summary>
public sealed class PlayerMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as IWithPlayerId)?.PlayerId;
}
