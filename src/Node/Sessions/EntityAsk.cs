using Akka.Actor;

namespace AkkaGame.Node.Sessions;

/// <summary>
/// Asks a sharded entity and retries on timeout. Safe only for idempotent requests (credit
/// operations carry an operation id; attach and relocate are idempotent by nature): a timeout
/// may mean the entity was restarting elsewhere, and the retry reaches its new incarnation.
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
                return await region.Ask<T>(message, timeout).ConfigureAwait(false);
            }
            catch (AskTimeoutException) when (attempt < attempts)
            {
                // The next attempt goes through the region again, which finds the entity's new home.
            }
        }
    }
}
