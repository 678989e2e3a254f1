namespace AkkaGame.Protocol.Client;

/// <summary>
/// Waiting helpers. Task.WaitAsync does not exist on netstandard2.1 (Unity), so these serve both
/// targets with one code path.
/// </summary>
internal static class AsyncWait
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>Awaits <paramref name="task"/>, or throws <see cref="TimeoutException"/> first.</summary>
    public static async Task<T> WithTimeout<T>(Task<T> task, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await WithCancellation(task, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested && !task.IsCompleted)
        {
            throw new TimeoutException($"{what} did not happen within {timeout.TotalMilliseconds:0} ms");
        }
    }

    /// <summary>
    /// Awaits <paramref name="task"/>, or throws <see cref="OperationCanceledException"/> when
    /// <paramref name="token"/> fires first (the task itself goes on).
    /// </summary>
    public static async Task<T> WithCancellation<T>(Task<T> task, CancellationToken token)
    {
        await WithCancellation((Task)task, token).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <summary>
    /// Awaits <paramref name="task"/>, or throws <see cref="OperationCanceledException"/> when
    /// <paramref name="token"/> fires first (the task itself goes on).
    /// </summary>
    public static async Task WithCancellation(Task task, CancellationToken token)
    {
        if (!task.IsCompleted && token.CanBeCanceled)
        {
            var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (token.Register(() => cancelled.TrySetResult(true)))
            {
                if (await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false) != task)
                {
                    throw new OperationCanceledException(token);
                }
            }
        }

        await task.ConfigureAwait(false);
    }

    /// <summary>Waits <paramref name="delay"/>; false when <paramref name="token"/> fired instead.</summary>
    public static async Task<bool> Delay(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Awaits <paramref name="task"/> for its completion only, whatever its outcome.</summary>
    public static async Task Settle(Task? task)
    {
        if (task is not null)
        {
            // WhenAny never throws: a failure was already turned into a close reason where it happened.
            await Task.WhenAny(task).ConfigureAwait(false);
        }
    }

    /// <summary>Microseconds since the Unix epoch, the protocol's clock unit.</summary>
    public static long UnixTimeMicroseconds() =>
        (DateTime.UtcNow.Ticks - UnixEpochTicks) / (TimeSpan.TicksPerMillisecond / 1000);
}
