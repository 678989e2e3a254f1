using System.Text.Json;
using Xunit;

namespace AkkaGame.Node.Tests.Hosting;

/// <summary>
/// The node's process runs without the thread pool's spinning before a worker sleeps. With one
/// core, each spin round is a sched_yield, and that was 12% of a crowd's CPU profile
/// (bench/README.md, issue 13). The setting is in the node's runtimeconfig.json, so `dotnet run`,
/// the published build and the image all carry it.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void The_node_ships_with_the_thread_pools_spinning_off()
    {
        // The node's runtimeconfig.json is copied beside the tests, as the node is a project they reference.
        var path = Path.Combine(AppContext.BaseDirectory, "AkkaGame.Node.runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));

        var spin = json.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit");

        Assert.Equal("0", spin.ValueKind == JsonValueKind.String ? spin.GetString() : spin.GetRawText());
    }
}
