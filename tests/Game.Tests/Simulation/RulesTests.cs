using AkkaGame.Game.Simulation;
using Xunit;

namespace AkkaGame.Game.Tests.Simulation;

public class ChatRulesTests
{
    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("  padded  ", "padded")]
    public void Valid_text_is_trimmed(string text, string expected) =>
        Assert.Equal(expected, ChatRules.Validate(text, 200, out _));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bell\u0007")]
    [InlineData("new\nline")]
    public void Empty_or_control_characters_are_refused(string text)
    {
        Assert.Null(ChatRules.Validate(text, 200, out var reason));
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void Length_is_counted_after_trimming()
    {
        Assert.NotNull(ChatRules.Validate(" " + new string('x', 200) + " ", 200, out _));
        Assert.Null(ChatRules.Validate(new string('x', 201), 200, out _));
    }

    [Theory]
    [InlineData("Ann", true)]
    [InlineData("", false)]
    [InlineData("  ", false)]
    [InlineData("tab\tname", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    public void Names_are_1_to_32_printable_characters(string name, bool valid) =>
        Assert.Equal(valid, NameRules.IsValid(name));
}

public class RateLimiterTests
{
    [Fact]
    public void Burst_is_allowed_then_messages_over_the_rate_are_rejected()
    {
        var limiter = new RateLimiter(perSecond: 50, burst: 100, fatalMultiplier: 5);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(RateDecision.Allow, limiter.Check(0));
        }

        Assert.Equal(RateDecision.Reject, limiter.Check(0));
        // 20 ms later one token has come back.
        Assert.Equal(RateDecision.Allow, limiter.Check(20));
        Assert.Equal(RateDecision.Reject, limiter.Check(20));
    }

    [Fact]
    public void Five_times_the_limit_within_one_second_is_fatal()
    {
        var limiter = new RateLimiter(perSecond: 50, burst: 100, fatalMultiplier: 5);
        var decisions = Enumerable.Range(0, 251).Select(i => limiter.Check(i)).ToList();
        Assert.DoesNotContain(RateDecision.Fatal, decisions.Take(250));
        Assert.Equal(RateDecision.Fatal, decisions[250]);
    }

    [Fact]
    public void Steady_rate_at_the_limit_is_always_allowed()
    {
        var limiter = new RateLimiter(perSecond: 50, burst: 100, fatalMultiplier: 5);
        for (var i = 0; i < 500; i++)
        {
            Assert.Equal(RateDecision.Allow, limiter.Check(i * 20));
        }
    }
}

public class PlayerStateTests
{
    [Fact]
    public void A_repeated_operation_is_answered_but_not_applied_twice()
    {
        var player = new PlayerState("p1", rememberedOperations: 10);
        Assert.Equal(10, player.ApplyCredits("op-1", 10));
        Assert.Equal(20, player.ApplyCredits("op-2", 10));
        Assert.Equal(10, player.ApplyCredits("op-1", 10));
        Assert.Equal(20, player.Credits);
    }

    [Fact]
    public void Only_the_most_recent_operations_are_remembered()
    {
        var player = new PlayerState("p1", rememberedOperations: 2);
        player.ApplyCredits("a", 1);
        player.ApplyCredits("b", 1);
        player.ApplyCredits("c", 1);
        Assert.False(player.TryGetApplied("a", out _));
        Assert.True(player.TryGetApplied("c", out var balance));
        Assert.Equal(3, balance);
    }
}
