using Akka.Actor;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Messages;

namespace AkkaGame.Node.Sessions;

/// <summary>
/// Asks a sharded entity and retries on timeout. Safe only for idempotent requests (credit
/// operations carry an operation id; attach and relocate are idempotent by nature): a timeout
/// may mean the entity was restarting elsewhere, and the retry reaches its new incarnation.
/// An entity that could not store the write answers <see cref="WriteNotStored"/>: that is not
/// retried but thrown as <see cref="EntityWriteFailedException"/>, so the client gets an error.
/// </summary>
public static class EntityAsk
{
    public static async Task<T> WithRetries<T>(IActorRef region, object message, int attempts, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(region);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var answer = await region.Ask<object>(message, timeout).ConfigureAwait(false);
                return answer switch
                {
                    T value => value,
                    WriteNotStored refused => throw new EntityWriteFailedException($"{refused.EntityId}: {refused.Reason}"),
                    _ => throw new InvalidOperationException($"unexpected answer {answer.GetType().Name} to {message.GetType().Name}"),
                };
            }
            catch (AskTimeoutException) when (attempt < attempts)
            {
                // The next attempt goes through the region again, which finds the entity's new home.
            }
        }
    }
}
