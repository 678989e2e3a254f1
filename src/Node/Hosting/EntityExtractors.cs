using Akka.Cluster.Sharding;
using AkkaGame.Node.Messages;

namespace AkkaGame.Node.Hosting;

/// <summary>
/// Routes sector messages by sector id, one shard per sector (the shard id is the sector id):
/// sectors are few (64 by default) and each is a unit of load, so sharding places and moves
/// sectors one by one, and an operator's move of a sector (<c>game sector move</c>) moves that
/// sector alone. (Until issue 15 sectors were hashed into 100 shards; nodes of the two versions
/// must not run in one cluster, as they would route a sector to different shards.)
/// </summary>
public sealed class SectorMessageExtractor : IMessageExtractor
{
    public string? EntityId(object message) => (message as IWithSectorId)?.SectorId;

    public object? EntityMessage(object message) => message;

    // Sharding handles StartEntity and ShardingEnvelope itself (AK2001): only the game's messages here.
    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
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
