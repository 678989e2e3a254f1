using System.Text.Json.Nodes;

namespace AkkaGame.Ops.Tests.Support;

/// <summary>What one run of akkagame-ops printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The --json output of a one-reply command.</summary>
    public JsonNode Json => JsonNode.Parse(Output) ?? throw new InvalidOperationException("no JSON in: " + Output + Error);

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>Runs the real CLI code in this process, with captured output.</summary>
public static class Cli
{
    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, stdin: null);

    public static async Task<CliResult> RunAsync(string[] args, string? stdin, Func<string, string?>? environment = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var input = new StringReader(stdin ?? string.Empty);
        var cli = new OpsCli(input, output, error, environment ?? (_ => null), terminal: false);
        var code = await cli.RunAsync(args);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs a command against an endpoint and asserts it succeeded.</summary>
    public static async Task<CliResult> OkAsync(System.Net.IPEndPoint endpoint, params string[] command)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var result = await RunAsync([$"127.0.0.1:{endpoint.Port}", .. command]);
        if (result.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"'{string.Join(' ', command)}' failed: {result}");
        }

        return result;
    }

    public static async Task<JsonNode> JsonAsync(System.Net.IPEndPoint endpoint, params string[] command) =>
        (await OkAsync(endpoint, [.. command, "--json"])).Json;
}
