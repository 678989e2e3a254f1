using AkkaGame.Operations.Protocol;
using AkkaGame.Ops.Tests.Support;
using Xunit;

namespace AkkaGame.Ops.Tests;

/// <summary>The CLI's own parts: tables, word splitting, the prompt with redirected input.</summary>
[Collection(TwoNodesCollection.Name)]
public class CliTests(TwoNodes nodes)
{
    [Fact]
    public void Tables_align_columns_to_the_widest_cell_without_trailing_spaces()
    {
        using var output = new StringWriter();
        TableWriter.Write(OpsTable.Of(["A", "LONGER", "C"], [["wide cell", "x", "last"], ["y", "z", ""]]), output);
        Assert.Equal(
            "A          LONGER  C\n" +
            "wide cell  x       last\n" +
            "y          z\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("cluster show", new[] { "cluster", "show" })]
    [InlineData("  game   announce  \"hello  world\" now ", new[] { "game", "announce", "hello  world", "now" })]
    [InlineData("game kick p1 'rude words'", new[] { "game", "kick", "p1", "rude words" })]
    [InlineData("game announce \"say \\\"hi\\\"\"", new[] { "game", "announce", "say \"hi\"" })]
    [InlineData("", new string[0])]
    public void Interactive_lines_split_like_a_shell(string line, string[] words) =>
        Assert.Equal(words, CommandLineWords.Split(line));

    [Fact]
    public void An_unterminated_quote_is_an_error() =>
        Assert.Throws<ArgumentException>(() => CommandLineWords.Split("game announce \"oops"));

    [Theory]
    [InlineData("127.0.0.1:9110", "127.0.0.1", 9110)]
    [InlineData("localhost:1", "localhost", 1)]
    [InlineData("[::1]:9110", "::1", 9110)]
    public void Endpoints_parse(string text, string host, int port)
    {
        Assert.True(HostPort.TryParse(text, out var endpoint));
        Assert.Equal(new HostPort(host, port), endpoint);
    }

    [Theory]
    [InlineData("9110")]
    [InlineData("host:")]
    [InlineData(":9110")]
    [InlineData("host:70000")]
    public void Bad_endpoints_do_not_parse(string text) => Assert.False(HostPort.TryParse(text, out _));

    [Fact]
    public async Task The_prompt_reads_commands_from_redirected_input_until_exit()
    {
        var result = await Cli.RunAsync([$"127.0.0.1:{nodes.OpsA.Port}"], "help cluster\n\ncluster show --json\nno such thing\nexit\ncluster show\n");
        Assert.Contains("AkkaGame operator endpoint on akka.tcp://akkagame@127.0.0.1:", result.Output, StringComparison.Ordinal);
        Assert.Contains("cluster sharding regions", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"members\":[", result.Output, StringComparison.Ordinal);
        Assert.Contains("unknown command 'no such thing'", result.Error, StringComparison.Ordinal);

        // Nothing after "exit" ran: one table header, from "help cluster"; the first failure is the exit code.
        Assert.Single(result.Output.Split('\n'), l => l.StartsWith("COMMAND", StringComparison.Ordinal));
        Assert.DoesNotContain("REACHABILITY", result.Output, StringComparison.Ordinal);
        Assert.Equal(OpsExitCodes.Usage, result.ExitCode);
    }

    [Fact]
    public async Task The_prompt_ends_cleanly_at_end_of_input()
    {
        var result = await Cli.RunAsync([$"127.0.0.1:{nodes.OpsA.Port}"], "cluster show\n");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("2 members, 0 unreachable", result.Output, StringComparison.Ordinal);
    }
}
