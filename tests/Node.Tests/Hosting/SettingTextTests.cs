using Akka.Configuration;
using AkkaGame.Game.Configuration;
using Xunit;

namespace AkkaGame.Node.Tests.Hosting;

/// <summary>
/// The node's settings are Akka's configuration layers read by the core (<see cref="SettingText"/>):
/// an operator's --config file must mean what it would mean to Akka, so the core reads each
/// form of value as Akka's own getters do.
/// </summary>
public sealed class SettingTextTests
{
    [Theory]
    [InlineData("500ms")]
    [InlineData("10s")]
    [InlineData("2m")]
    [InlineData("24h")]
    [InlineData("1d")]
    [InlineData("250")]
    [InlineData("1.5s")]
    [InlineData("5 seconds")]
    [InlineData("3 minutes")]
    [InlineData("100micros")]
    [InlineData("7nanos")]
    public void Durations_read_as_akka_reads_them(string text)
    {
        var akka = ConfigurationFactory.ParseString($"x = {text}").GetTimeSpan("x");

        Assert.Equal(akka, SettingText.Duration(text));
    }

    [Theory]
    [InlineData("1000")]
    [InlineData("256KiB")]
    [InlineData("1MiB")]
    [InlineData("64KiB")]
    [InlineData("10kB")]
    [InlineData("2M")]
    [InlineData("1GiB")]
    [InlineData("1TB")]
    public void Sizes_read_as_akka_reads_them(string text)
    {
        var akka = ConfigurationFactory.ParseString($"x = {text}").GetByteSize("x");

        Assert.Equal(akka, SettingText.Bytes(text));
    }

    [Theory]
    [InlineData("on")]
    [InlineData("off")]
    [InlineData("true")]
    [InlineData("false")]
    public void Booleans_read_as_akka_reads_them(string text)
    {
        var akka = ConfigurationFactory.ParseString($"x = {text}").GetBoolean("x");

        Assert.Equal(akka, SettingText.Boolean(text));
    }

    [Theory]
    [InlineData("100us")]
    [InlineData("1e3ms")]
    [InlineData("1.5KiB")]
    [InlineData("yes")]
    public void What_akka_refuses_the_core_refuses(string text)
    {
        var x = ConfigurationFactory.ParseString($"x = {text}");
        var akkaRefuses = new Func<object?>[] { () => x.GetTimeSpan("x"), () => x.GetByteSize("x"), () => x.GetBoolean("x") }
            .Select(Refuses).ToArray();
        var coreRefuses = new Func<object?>[] { () => SettingText.Duration(text), () => SettingText.Bytes(text), () => SettingText.Boolean(text) }
            .Select(Refuses).ToArray();

        Assert.Equal(akkaRefuses, coreRefuses);
    }

    private static bool Refuses(Func<object?> read)
    {
        try
        {
            read();
            return false;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or OverflowException)
        {
            return true;
        }
    }

    [Fact]
    public void A_config_file_layered_over_game_conf_reaches_the_settings()
    {
        var config = ConfigurationFactory.ParseString("akkagame.gateway.hello-timeout = 2500\nakkagame.world.tick-hz = 30")
            .WithFallback(ConfigurationFactory.ParseString(GameConf.DefaultsText));

        var settings = GameSettings.Read(new AkkaGame.Node.Hosting.HoconSettingSource(config));

        Assert.Equal(TimeSpan.FromMilliseconds(2500), settings.Gateway.HelloTimeout);
        Assert.Equal(30, settings.World.TickHz);
        Assert.Equal(GameConf.Defaults.World with { TickHz = 30 }, settings.World);
    }
}
