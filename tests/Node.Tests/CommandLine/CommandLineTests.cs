using System.CommandLine;
using AkkaGame.CommandLine;
using AkkaGame.Node.Hosting;
using Xunit;

namespace AkkaGame.Node.Tests.CommandLine;

/// <summary>
/// The command line every AkkaGame program shares (src/CommandLine on System.CommandLine): the
/// environment is the fallback and the command line wins, one duration grammar, bad values are
/// errors that name their source, secrets never appear in --help, bad lines exit 2.
/// </summary>
public sealed class CommandLineTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void The_command_line_wins_over_the_environment_which_wins_over_the_default()
    {
        var options = new Options(Env(("TEST_PORT", "9000")));
        var port = options.Port("port", "a port", 7777, "TEST_PORT");
        var command = new RootCommand { port };

        Assert.Equal(9000, command.Parse([]).GetValue(port));
        Assert.Equal(9100, command.Parse(["--port", "9100"]).GetValue(port));
        Assert.Equal(9200, command.Parse(["--port=9200"]).GetValue(port));
        Assert.Equal(7777, new RootCommand { new Options(Env()).Port("port", "a port", 7777, "TEST_PORT") }.Parse([]).GetValue<int>("--port"));
    }

    /// <summary>The grammar itself is Durations' (tests/Protocol.Tests/DurationsTests.cs); these were refused before by one program or another.</summary>
    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("1d", 86400)]
    public void Every_duration_takes_the_one_grammar(string text, double seconds)
    {
        var duration = new Options(Env()).Duration("ttl", "a duration", TimeSpan.FromHours(1));
        var parsed = new RootCommand { duration }.Parse(["--ttl", text]);
        Assert.Empty(parsed.Errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), parsed.GetValue(duration));
    }

    [Fact]
    public void A_bad_value_is_an_error_naming_the_option_or_the_variable()
    {
        var options = new Options(Env(("TEST_TTL", "soon")));
        var ttl = options.Duration("ttl", "a duration", TimeSpan.FromHours(1), variable: "TEST_TTL");
        var bots = options.Int("bots", "how many", 10, min: 1);
        var command = new RootCommand { ttl, bots };

        Assert.Contains(command.Parse([]).Errors, e => e.Message.Contains("TEST_TTL: 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(command.Parse(["--ttl", "5x"]).Errors, e => e.Message.Contains("--ttl: '5x' is not a duration", StringComparison.Ordinal));
        Assert.Contains(command.Parse(["--ttl", "1s", "--bots", "0"]).Errors, e => e.Message.Contains("--bots: '0' is not a whole number of at least 1", StringComparison.Ordinal));
        Assert.Contains(command.Parse(["--ttl", "1s", "--bogus"]).Errors, e => e.Message.Contains("--bogus", StringComparison.Ordinal));

        var endpoints = new Options(Env()).List("endpoints", "where", ["127.0.0.1:7777"], atLeastOne: true);
        var list = new RootCommand { endpoints };
        Assert.Contains(list.Parse(["--endpoints", ","]).Errors, e => e.Message.Contains("--endpoints: ',' needs at least one value", StringComparison.Ordinal));
        Assert.Equal(["a:1", "b:2"], list.Parse(["--endpoints", "a:1, b:2"]).GetValue(endpoints));
    }

    [Fact]
    public async Task Secrets_come_from_the_environment_but_never_show_in_help()
    {
        const string secret = "do-not-print-this-secret-0123";
        var environment = Env((NodeOptions.EnvironmentName("auth-secret"), secret), (NodeOptions.EnvironmentName("game-port"), "7000"));
        var help = new StringWriter();
        var command = Program.Command(environment);
        var exit = await command.Parse(["--help"]).InvokeAsync(new InvocationConfiguration { Output = help });

        Assert.Equal(0, exit);
        Assert.Contains("--auth-secret", help.ToString(), StringComparison.Ordinal);
        Assert.Contains("AKKAGAME_AUTH_SECRET", help.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, help.ToString(), StringComparison.Ordinal);

        var options = NodeOptions.Parse([], environment);
        Assert.Equal(secret, options["auth-secret"]);
        Assert.Equal("7000", options["game-port"]);
        Assert.Equal("7100", NodeOptions.Parse(["--game-port", "7100"], environment)["game-port"]);
    }

    [Fact]
    public async Task A_bad_line_exits_2_with_the_error_on_stderr()
    {
        var errors = new StringWriter();
        var exit = await CommandRunner.RunAsync(Program.Command(Env()), ["--game-prot", "7000"], errors);

        Assert.Equal(CommandRunner.BadArguments, exit);
        Assert.Contains("error:", errors.ToString(), StringComparison.Ordinal);
        Assert.Contains("--game-prot", errors.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => NodeOptions.Parse(["--nope", "1"], Env()));
    }

    [Fact]
    public async Task Token_mint_takes_any_duration_of_the_grammar_and_checks_the_name()
    {
        var dataDir = Support.TestConfig.NewDataDir();
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int minted;
        try
        {
            minted = await CommandRunner.RunAsync(Program.Command(Env()), ["token", "mint", "p-1", "Ann", "--ttl", "500ms", "--auth-secret", "0123456789abcdef0123", "--data-dir", dataDir]);
        }
        finally
        {
            Console.SetOut(previous);
        }

        Assert.Equal(0, minted);
        // Console.Out is process-wide: nodes of tests running in parallel may log into it meanwhile,
        // so the token is looked for as a line of its own rather than as the whole output.
        Assert.Contains(output.ToString().Split('\n'), line => line.Trim().StartsWith("v1.", StringComparison.Ordinal) && line.Trim().Split('.').Length == 6);
        var errors = new StringWriter();
        Assert.Equal(2, await CommandRunner.RunAsync(Program.Command(Env()), ["token", "mint", "p-1", "", "--data-dir", dataDir], errors));
        Assert.Contains("NAME must be", errors.ToString(), StringComparison.Ordinal);
    }
}
