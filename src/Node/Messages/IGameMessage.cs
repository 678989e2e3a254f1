namespace AkkaGame.Node.Messages;

/// <summary>
/// Marker for every message that may cross the network between nodes. Bound to our
/// allow-listed Hyperion serializer in hocon/akka.conf; the allow-list is every type
/// implementing this interface.
/// </summary>
public interface IGameMessage;

/// <summary>Routed to the sector shard region by <see cref="SectorId"/>.</summary>
public interface IWithSectorId : IGameMessage
{
    string SectorId { get; }
}

/// <summary>Routed to the player shard region by <see cref="PlayerId"/>.</summary>
public interface IWithPlayerId : IGameMessage
{
    string PlayerId { get; }
}
