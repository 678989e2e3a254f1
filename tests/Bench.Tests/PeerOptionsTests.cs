using AkkaGame.Bench.PeerCommon;
using AkkaGame.CommandLine;
using Xunit;

namespace AkkaGame.Bench.Tests;

/// <summary>The peers take the node's option names and the one duration grammar, on the shared command line.</summary>
public sealed class PeerOptionsTests
{
    [Fact]
    public async Task Options_apply_over_game_conf_and_the_secret_comes_from_the_environment()
    {
        PeerSettings? seen = null;
        var command = PeerOptions.Command("peer", name => name == PeerOptions.SecretVariable ? "environment-secret-0123" : null, s =>
        {
            seen = s;
            return Task.FromResult(0);
        });

        var exit = await CommandRunner.RunAsync(command, ["--port", "0", "--tick-hz", "30", "--reconnect-grace", "500ms", "--allow-guests", "false"]);

        Assert.Equal(0, exit);
        Assert.NotNull(seen);
        Assert.Equal(0, seen.Port);
        Assert.Equal(30, seen.World.TickHz);
        Assert.Equal(TimeSpan.FromMilliseconds(500), seen.World.ReconnectGrace);
        Assert.False(seen.Session.AllowGuests);
        Assert.Equal("environment-secret-0123", seen.AuthSecret);
        Assert.Equal(new PeerSettings().World.ShipSpeed, seen.World.ShipSpeed);
    }

    [Theory]
    [InlineData("--auth-secret", "short")]
    [InlineData("--tick-hz", "0")]
    [InlineData("--reconnect-grace", "soon")]
    [InlineData("--speed", "5")]
    public async Task A_bad_option_exits_2_and_serves_nothing(string option, string value)
    {
        var served = false;
        var command = PeerOptions.Command("peer", _ => null, _ =>
        {
            served = true;
            return Task.FromResult(0);
        });

        var errors = new StringWriter();
        Assert.Equal(2, await CommandRunner.RunAsync(command, [option, value], errors));
        Assert.False(served);
        Assert.Contains("error:", errors.ToString(), StringComparison.Ordinal);
    }
}
