namespace AkkaGame.Node.Messages;

/// <summary>
/// Sent by the shard when a sector or player must stop (passivation, hand-off, shutdown):
/// the entity stores its state first, then stops.
/// </summary>
public sealed class Stop : IGameMessage
{
    public static readonly Stop Instance = new();
}
