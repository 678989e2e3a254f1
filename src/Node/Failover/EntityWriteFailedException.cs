namespace AkkaGame.Node.Failover;

/// <summary>
/// An entity could not store a write (the store refused it or failed). Sent to the waiting
/// session in place of an acknowledgement; the session answers the client with an error and
/// never with the value it would have acknowledged.
/// </summary>
public sealed class EntityWriteFailedException : Exception
{
    public EntityWriteFailedException()
    {
    }

    public EntityWriteFailedException(string message)
        : base(message)
    {
    }

    public EntityWriteFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
