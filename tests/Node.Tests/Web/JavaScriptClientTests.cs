using System.Diagnostics;
using AkkaGame.Node.Tests.Support;
using AkkaGame.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AkkaGame.Node.Tests.Web;

/// <summary>
/// The JavaScript client's own tests (clients/js/test, node --test) against a real node's
/// WebSocket gateway: login, answers by seq, errors by code, resume after a drop, final codes.
/// Installs the client's npm packages first when they are missing (npm ci, from its lock file).
/// </summary>
public sealed class JavaScriptClientTests(GameFlowNode fixture, ITestOutputHelper output) : IClassFixture<GameFlowNode>
{
    private static readonly string ClientDirectory = Path.Combine(Repository.Root, "clients", "js");

    [Fact]
    public async Task The_javascript_client_passes_its_tests_against_a_real_node()
    {
        if (!Directory.Exists(Path.Combine(ClientDirectory, "node_modules", "ws")))
        {
            var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(3));
            Assert.True(install.ExitCode == 0, "npm ci failed:\n" + install.Output);
        }

        var run = await RunAsync("node", ["--test", "test/"], TimeSpan.FromMinutes(2), ("AKKAGAME_WS_URL", fixture.WebSocketUrl));
        output.WriteLine(run.Output);
        Assert.True(run.ExitCode == 0, "node --test failed:\n" + run.Output);
        Assert.Contains("# fail 0", run.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = ClientDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} ran past {timeout}:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
