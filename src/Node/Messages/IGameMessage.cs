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

/// <summary>Error codes an entity can answer an input with; the session maps them to the protocol's.</summary>
public enum InputError
{
    InvalidInput = 7,
    OutOfRange = 8,
    UnknownTarget = 9,
    Cooldown = 10,
    SectorUnavailable = 11,
    Internal = 17,
}
