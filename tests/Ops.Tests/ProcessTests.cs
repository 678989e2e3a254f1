using System.Text.RegularExpressions;
using Akkagame.V1;
using AkkaGame.Ops.Tests.Support;
using AkkaGame.TestSupport;
using AkkaGame.Protocol.Client;
using Xunit;

namespace AkkaGame.Ops.Tests;

/// <summary>The endpoint in real processes, started the way operators start them.</summary>
public partial class ProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_node_process_serves_operators_and_game_drain_ends_it_cleanly()
    {
        var opsPort = TestConfig.FreePort();
        await using var node = ManagedProcess.Start("Node", "AkkaGame.Node.dll", "AkkaGame node ready",
            ["--data-dir", TestConfig.NewDataDir(), "--game-port", "0", "--ops-port", opsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--http-port", "0", "--ws-port", "0"]);
        var ready = await node.WaitReadyAsync(StartTimeout);
        Assert.EndsWith($"; operators: akkagame-ops 127.0.0.1:{opsPort}", ready, StringComparison.Ordinal);
        var gamePort = GamePort().Match(ready).Groups[1].Value;
        var endpoint = $"127.0.0.1:{opsPort}";

        var show = await Cli.RunAsync(endpoint, "cluster", "show", "--json");
        Assert.Equal(0, show.ExitCode);
        Assert.Single(show.Json["members"]!.AsArray());

        await using var client = new GameClient(new GameClientOptions { Endpoints = [$"127.0.0.1:{gamePort}"], GuestName = "proc", AutoReconnect = false });
        await client.ConnectAsync();
        var players = await Cli.RunAsync(endpoint, "game", "players", "--json");
        Assert.Single(players.Json["players"]!.AsArray());

        var drain = await Cli.RunAsync(endpoint, "game", "drain");
        Assert.Equal(0, drain.ExitCode);
        Assert.StartsWith("draining akka.tcp://akkagame@127.0.0.1:", drain.Output, StringComparison.Ordinal);

        var notice = (await client.NextAsync(m => m.Notice is not null, Bound)).Notice;
        Assert.Equal(NoticeKind.ShuttingDownNotice, notice.Kind);
        Assert.True(await node.WaitForExitAsync(Bound), "the drained node did not exit:\n" + node.Output);
        Assert.Equal(0, node.ExitCode);
        Assert.Contains("AkkaGame node stopped.", node.Output, StringComparison.Ordinal);

        var gone = await Cli.RunAsync(endpoint, "cluster", "show");
        Assert.Equal(4, gone.ExitCode);
    }

    [Fact]
    public async Task The_lighthouse_serves_the_shared_commands_and_sees_the_node_that_joined()
    {
        var akkaPort = TestConfig.FreePort();
        var lighthouseOps = TestConfig.FreePort();
        var seed = $"akka.tcp://akkagame@127.0.0.1:{akkaPort}";
        await using var lighthouse = ManagedProcess.Start("Lighthouse", "AkkaGame.Lighthouse.dll", "AkkaGame lighthouse ready",
            ["--akka-port", Port(akkaPort), "--ops-port", Port(lighthouseOps), "--http-port", "0"]);
        var ready = await lighthouse.WaitReadyAsync(StartTimeout);
        Assert.EndsWith($"; operators: akkagame-ops 127.0.0.1:{lighthouseOps}", ready, StringComparison.Ordinal);

        // Same machine: the node needs an ops port of its own.
        var nodeOps = TestConfig.FreePort();
        await using var node = ManagedProcess.Start("Node", "AkkaGame.Node.dll", "AkkaGame node ready",
            ["--data-dir", TestConfig.NewDataDir(), "--game-port", "0", "--seeds", seed, "--auth-secret", TestConfig.Secret, "--ops-port", Port(nodeOps), "--http-port", "0", "--ws-port", "0"]);
        var nodeReady = await node.WaitReadyAsync(StartTimeout);

        var endpoint = $"127.0.0.1:{lighthouseOps}";
        await Eventually.AwaitAssertAsync(async () =>
        {
            var show = await Cli.RunAsync(endpoint, "cluster", "show", "--json");
            Assert.Equal(0, show.ExitCode);
            var members = show.Json["members"]!.AsArray();
            Assert.Equal(2, members.Count(m => (string?)m!["status"] == "Up"));
            Assert.Equal(["game", "lighthouse"], members.SelectMany(m => m!["roles"]!.AsArray().Select(r => (string)r!)).Order(StringComparer.Ordinal));
            Assert.Equal(seed, (string?)show.Json["oldest"]);
        }, Bound);

        // The lighthouse's HTTP endpoint: ready, and its metrics count both members Up.
        var metricsUrl = System.Text.RegularExpressions.Regex.Match(ready, @"metrics (http://127\.0\.0\.1:\d+/)metrics").Groups[1].Value;
        Assert.NotEmpty(metricsUrl);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri(metricsUrl + "health/ready"))).StatusCode);
            await Eventually.AwaitAssertAsync(async () =>
            {
                var text = await http.GetStringAsync(new Uri(metricsUrl + "metrics"));
                Assert.Matches(@"(?m)^akkagame_cluster_members\{[^}]*status=""up""[^}]*\} 2$", text);
                Assert.Contains("service_name=\"akkagame-lighthouse\"", text, StringComparison.Ordinal);
                Assert.Contains("dotnet_gc_collections_total", text, StringComparison.Ordinal);
            }, Bound);
        }

        // The node's dashboard sees the whole cluster: both members Up, the node's load.
        var dashboard = System.Text.RegularExpressions.Regex.Match(nodeReady, @"dashboard (http://127\.0\.0\.1:\d+/)").Groups[1].Value;
        Assert.NotEmpty(dashboard);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            await Eventually.AwaitAssertAsync(async () =>
            {
                var overview = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(dashboard + "api/overview")))!;
                Assert.Equal(2, overview["members"]!.AsArray().Count(m => (string?)m!["status"] == "Up"));
                Assert.Single(overview["nodes"]!.AsArray());
                Assert.Empty(overview["silent"]!.AsArray());
            }, Bound);
        }

        var help = await Cli.RunAsync(endpoint, "help", "--json");
        var commands = help.Json.AsArray().Select(c => (string)c!["command"]!).ToList();
        Assert.Contains("cluster show", commands);
        Assert.Contains("log peek", commands);
        Assert.DoesNotContain(commands, c => c.StartsWith("game", StringComparison.Ordinal));
        Assert.Equal(2, (await Cli.RunAsync(endpoint, "game", "sectors")).ExitCode);

        var regions = await Cli.RunAsync(endpoint, "cluster", "sharding", "regions");
        Assert.Equal(0, regions.ExitCode);
        Assert.Contains("this node hosts no shard regions", regions.Output, StringComparison.Ordinal);
        var stats = await Cli.RunAsync(endpoint, "cluster", "sharding", "region-stats", "sector");
        Assert.Equal(1, stats.ExitCode);
        Assert.Contains("ask one of them", stats.Error, StringComparison.Ordinal);

        var log = await Cli.RunAsync(endpoint, "log", "peek", "500", "--json");
        Assert.Contains(log.Json.AsArray(), l => ((string)l!["message"]!).StartsWith("Operator endpoint listening", StringComparison.Ordinal));

        // The node's own endpoint answers for the game.
        var sectors = await Cli.RunAsync($"127.0.0.1:{nodeOps}", "game", "sectors", "--json");
        Assert.Equal(0, sectors.ExitCode);
    }

    [Fact]
    public async Task The_lighthouse_refuses_an_endpoint_off_loopback_without_a_secret()
    {
        await using var lighthouse = ManagedProcess.Start("Lighthouse", "AkkaGame.Lighthouse.dll", "AkkaGame lighthouse ready",
            ["--akka-port", Port(TestConfig.FreePort()), "--ops-host", "0.0.0.0"]);
        Assert.True(await lighthouse.WaitForExitAsync(Bound), lighthouse.Output);
        Assert.Equal(2, lighthouse.ExitCode);
        Assert.Contains("--ops-secret", lighthouse.Output, StringComparison.Ordinal);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"game clients on 127\.0\.0\.1:(\d+);")]
    private static partial Regex GamePort();
}
