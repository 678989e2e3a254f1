using AkkaGame.Protocol;
using Xunit;

namespace AkkaGame.Protocol.Tests;

/// <summary>One duration grammar for every program's command line (token mint's --ttl, the operator options, bots, the load generator).</summary>
public sealed class DurationsTests
{
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("90s", 90)]
    [InlineData("1.5m", 90)]
    [InlineData("24h", 86400)]
    [InlineData("1d", 86400)]
    [InlineData("7d", 604800)]
    [InlineData("30", 30)]
    [InlineData(" 2s ", 2)]
    public void Accepted_forms(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("s")]
    [InlineData("0")]
    [InlineData("0s")]
    [InlineData("-5s")]
    [InlineData("5 minutes")]
    [InlineData("1e400d")]
    [InlineData("5w")]
    public void Refused_forms(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
        var error = Assert.Throws<ArgumentException>(() => Durations.Parse(text));
        Assert.Contains("500ms, 90s, 30m, 24h, 7d", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_only_where_asked_for() =>
        Assert.Equal(TimeSpan.Zero, Durations.Parse("0s", allowZero: true));
}
