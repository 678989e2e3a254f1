using AkkaGame.Protocol.Client;
using Xunit;

namespace AkkaGame.Protocol.Tests.Client;

/// <summary>The reconnect schedule of <see cref="GameClient"/>, without sockets or clocks.</summary>
public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void Failures_double_the_wait_up_to_five_seconds_with_at_most_a_quarter_of_jitter()
    {
        var backoff = new ReconnectBackoff(Base, Base, endpoints: 1, new Random(1));
        var expected = new[] { 250, 500, 1000, 2000, 4000, 5000, 5000 };
        foreach (var ms in expected)
        {
            AssertWithin(backoff.NextWait(), ms, ms * 1.25);
            backoff.Failed();
        }
    }

    [Fact]
    public void A_refused_endpoint_is_passed_over_at_the_base_delay_until_every_endpoint_refused()
    {
        var backoff = new ReconnectBackoff(Base, Base, endpoints: 3, new Random(2));
        backoff.Failed();
        backoff.Failed();
        AssertWithin(backoff.NextWait(), 1000, 1250);

        Assert.True(backoff.Refused());
        AssertWithin(backoff.NextWait(), 250, 312.5);
        Assert.True(backoff.Refused());
        AssertWithin(backoff.NextWait(), 250, 312.5);

        // The third endpoint refused too: the whole cluster is down, so the back-off grows.
        Assert.False(backoff.Refused());
        AssertWithin(backoff.NextWait(), 2000, 2500);
    }

    [Fact]
    public void Server_busy_waits_between_half_and_all_of_the_doubled_back_off()
    {
        var seen = new HashSet<int>();
        for (var seed = 0; seed < 50; seed++)
        {
            var backoff = new ReconnectBackoff(Base, Base, endpoints: 2, new Random(seed));
            backoff.ServerBusy();
            var wait = backoff.NextWait();
            AssertWithin(wait, 250, 500 * 1.25);
            seen.Add((int)wait.TotalMilliseconds / 50);
        }

        // Spread out, not in step.
        Assert.True(seen.Count >= 4, $"waits fell into only {seen.Count} 50 ms buckets");
    }

    [Fact]
    public void The_first_wait_is_the_one_asked_for()
    {
        var backoff = new ReconnectBackoff(Base, TimeSpan.FromMilliseconds(100), endpoints: 2, new Random(3));
        AssertWithin(backoff.NextWait(), 100, 125);
    }

    private static void AssertWithin(TimeSpan wait, double minMs, double maxMs) =>
        Assert.True(wait.TotalMilliseconds >= minMs && wait.TotalMilliseconds <= maxMs, $"wait {wait.TotalMilliseconds} ms, expected {minMs}..{maxMs}");
}
