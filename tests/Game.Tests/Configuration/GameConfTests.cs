using AkkaGame.Game.Configuration;
using Xunit;

namespace AkkaGame.Game.Tests.Configuration;

/// <summary>The core's own reading of game.conf: the subset of HOCON it uses, and nothing guessed beyond it.</summary>
public sealed class GameConfTests
{
    [Fact]
    public void Nested_objects_dotted_keys_separators_quotes_and_comments_are_read()
    {
        var conf = GameConf.Parse("""
            # a comment
            a {
              b = 1            # trailing comment
              c : "quoted # not a comment"
              d = 2s // another comment
              e = { f = on }
              g.h = 127.0.0.1
            }
            a.i = 256KiB, a.j = "x\"y"
            """);

        Assert.Equal("1", conf.GetText("a.b"));
        Assert.Equal("quoted # not a comment", conf.GetText("a.c"));
        Assert.Equal("2s", conf.GetText("a.d"));
        Assert.Equal("on", conf.GetText("a.e.f"));
        Assert.Equal("127.0.0.1", conf.GetText("a.g.h"));
        Assert.Equal("256KiB", conf.GetText("a.i"));
        Assert.Equal("x\"y", conf.GetText("a.j"));
        Assert.Null(conf.GetText("a"));
        Assert.Null(conf.GetText("a.missing"));
    }

    [Fact]
    public void A_later_value_replaces_an_earlier_one_and_objects_merge()
    {
        var conf = GameConf.Parse("""
            a { b = 1, c = 2 }
            a { b = 3 }
            """);

        Assert.Equal("3", conf.GetText("a.b"));
        Assert.Equal("2", conf.GetText("a.c"));
    }

    [Theory]
    [InlineData("include \"other.conf\"", 1)]
    [InlineData("a = ${b}", 1)]
    [InlineData("a {\n  b = [1, 2]\n}", 2)]
    [InlineData("a {\n  b = 1\n", 3)]
    [InlineData("a = 1\n}", 2)]
    [InlineData("a = \"open\n", 1)]
    [InlineData("a =\n", 1)]
    [InlineData("a = \"x\" y", 1)]
    public void Anything_outside_the_subset_is_refused_with_its_line(string text, int line)
    {
        var error = Assert.Throws<FormatException>(() => GameConf.Parse(text));

        Assert.Contains($"line {line}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_embedded_game_conf_is_the_one_in_hocon()
    {
        // Game.Tests stays free of Akka, so it finds the repository itself rather than through TestSupport.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "AkkaGame.sln")))
        {
            root = root.Parent;
        }

        var onDisk = File.ReadAllText(Path.Combine(root!.FullName, "hocon", "game.conf"));

        Assert.Equal(onDisk, GameConf.DefaultsText);
    }

    [Fact]
    public void The_defaults_are_the_rules_the_protocol_states()
    {
        var d = GameConf.Defaults;

        // PROTOCOL.md: 8x8 sectors of 1000x1000, 20 Hz, speed 100, 10 credits per mine once a
        // second within 50 units, 65536-byte frames, 50 messages a second with a burst of 100.
        Assert.Equal((8, 8, 1000f, 1000f, 20, 100f), (d.World.SectorsX, d.World.SectorsY, d.World.Width, d.World.Height, d.World.TickHz, d.World.ShipSpeed));
        Assert.Equal((10, TimeSpan.FromSeconds(1), 50f), (d.World.MineAmount, d.World.MineCooldown, d.World.MiningRange));
        Assert.Equal((65536, 50, 100), (d.Gateway.MaxFrameBytes, d.Gateway.MaxMessagesPerSecond, d.Gateway.Burst));
        Assert.Equal(256 * 1024, d.Gateway.MaxOutboundBytes);
        Assert.True(d.Auth.AllowGuests);
    }

    [Fact]
    public void Interest_cells_per_radius_is_one_by_default_read_when_set_and_refused_out_of_range()
    {
        Assert.Equal((0f, 1), (GameConf.Defaults.Sector.InterestRadius, GameConf.Defaults.Sector.InterestCellsPerRadius));

        var set = GameConf.Parse(GameConf.DefaultsText + "\nakkagame.sector { interest-radius = 150, interest-cells-per-radius = 4 }\n");
        var sector = GameSettings.Read(set).Sector;
        Assert.Equal((150f, 4), (sector.InterestRadius, sector.InterestCellsPerRadius));

        foreach (var cells in new[] { "0", "11", "-1" })
        {
            var wrong = GameConf.Parse(GameConf.DefaultsText + $"\nakkagame.sector.interest-cells-per-radius = {cells}\n");
            Assert.Contains("interest-cells-per-radius must be from 1 to 10", Assert.Throws<FormatException>(() => GameSettings.Read(wrong)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_or_unreadable_setting_names_its_path()
    {
        var without = GameConf.Parse(GameConf.DefaultsText + "\nakkagame.world.tick-hz = fast\n");
        var error = Assert.Throws<FormatException>(() => GameSettings.Read(without));
        Assert.StartsWith("akkagame.world.tick-hz: 'fast'", error.Message, StringComparison.Ordinal);

        var empty = GameConf.Parse("akkagame { }");
        Assert.Contains("akkagame.world.sectors-x is missing", Assert.Throws<FormatException>(() => GameSettings.Read(empty)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("2m", 120_000)]
    [InlineData("24h", 86_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("250", 250)]
    [InlineData("1.5s", 1500)]
    [InlineData("5 seconds", 5000)]
    [InlineData("100micros", 0.1)]
    public void Durations_are_read_as_hocon_reads_them(string text, double milliseconds)
    {
        Assert.Equal(milliseconds, SettingText.Duration(text).TotalMilliseconds, 6);
    }

    [Theory]
    [InlineData("1000", 1000)]
    [InlineData("256KiB", 256 * 1024)]
    [InlineData("1MiB", 1024 * 1024)]
    [InlineData("10kB", 10_000)]
    [InlineData("2M", 2 * 1024 * 1024)]
    public void Sizes_are_read_as_hocon_reads_them(string text, long bytes)
    {
        Assert.Equal(bytes, SettingText.Bytes(text));
    }

    [Theory]
    [InlineData("10 parsecs")]
    [InlineData("100us")]
    [InlineData("1e3ms")]
    [InlineData("s")]
    [InlineData("")]
    public void A_duration_without_a_known_unit_or_number_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => SettingText.Duration(text));
    }
}
