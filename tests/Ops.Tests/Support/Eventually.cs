namespace AkkaGame.Ops.Tests.Support;

/// <summary>
/// AwaitAssert for async conditions: retries the assertion until it passes, within an explicit
/// bound; after the bound one last try runs, so its failure is what the test reports.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    public static async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(assertion);
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await PassesAsync(assertion))
            {
                return;
            }

            await Task.Delay(Interval);
        }

        await assertion();
    }

    public static Task AwaitAssertAsync(Action assertion, TimeSpan within) =>
        AwaitAssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, within);

    private static async Task<bool> PassesAsync(Func<Task> assertion)
    {
        try
        {
            await assertion();
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
