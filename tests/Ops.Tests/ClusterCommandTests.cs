using System.Text.Json.Nodes;
using Akka.Cluster;
using AkkaGame.Ops.Tests.Support;
using Xunit;

namespace AkkaGame.Ops.Tests;

/// <summary>The shared commands (cluster, sharding, actors, log, help) against a two-node cluster in this process.</summary>
[Collection(TwoNodesCollection.Name)]
public class ClusterCommandTests(TwoNodes nodes)
{
    private static readonly string[] Levels = ["DEBUG", "INFO", "WARNING", "ERROR"];

    [Fact]
    public async Task Cluster_show_lists_both_members_with_leader_oldest_and_self()
    {
        var json = await Cli.JsonAsync(nodes.OpsB, "cluster", "show");
        var members = json["members"]!.AsArray();
        Assert.Equal(2, members.Count);
        Assert.All(members, m =>
        {
            Assert.Equal("Up", (string?)m!["status"]);
            Assert.True((bool)m["reachable"]!);
            Assert.Equal(["game"], m["roles"]!.AsArray().Select(r => (string?)r));
        });
        var addresses = members.Select(m => (string?)m!["address"]).ToHashSet();
        Assert.Equal([TestCluster.AddressOf(nodes.A), TestCluster.AddressOf(nodes.B)], addresses);
        Assert.Equal(TestCluster.AddressOf(nodes.B), (string?)json["self"]);
        Assert.Contains((string?)json["leader"], addresses);

        // The first node formed the cluster, so it is the oldest (it hosts the shard coordinators).
        Assert.Equal(TestCluster.AddressOf(nodes.A), (string?)json["oldest"]);
        Assert.Equal(TestCluster.AddressOf(nodes.A), (string?)json["oldestByRole"]!["game"]);
        Assert.Equal(0, (int)json["unreachable"]!);
        Assert.Single(members, m => m!["notes"]!.AsArray().Any(n => (string?)n == "this node"));

        var table = await Cli.OkAsync(nodes.OpsA, "cluster", "show");
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ADDRESS\s+STATUS\s+ROLES\s+REACHABILITY\s+NOTES$", lines[0]);
        Assert.Contains(lines, l => l.StartsWith(TestCluster.AddressOf(nodes.A), StringComparison.Ordinal) && l.Contains("oldest", StringComparison.Ordinal) && l.Contains("this node", StringComparison.Ordinal));
        Assert.Contains("2 members, 0 unreachable", table.Output, StringComparison.Ordinal);

        // Columns are aligned: STATUS starts at the same place in every row.
        var statusColumn = lines[0].IndexOf("STATUS", StringComparison.Ordinal);
        Assert.All(lines.Skip(1).Take(2), l => Assert.Equal("Up", l.Substring(statusColumn, 2)));
    }

    [Fact]
    public async Task Help_lists_every_command_and_help_cluster_only_the_cluster_ones()
    {
        var all = await Cli.JsonAsync(nodes.OpsA, "help");
        var commands = all.AsArray().Select(c => (string)c!["command"]!).ToList();
        string[] expected =
        [
            "help", "cluster show", "cluster leave", "cluster down", "cluster down-unreachable", "cluster join", "cluster tail",
            "cluster sharding regions", "cluster sharding region-stats", "cluster sharding shard-stats", "actor hierarchy", "log peek",
            "game sectors", "game sector", "game players", "game kick", "game announce", "game drain", "game token mint", "game stats",
            "game sector move", "game sector unpin", "game reinforce", "game unreinforce", "game placement",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), commands.Order(StringComparer.Ordinal));
        Assert.All(all.AsArray(), c => Assert.False(string.IsNullOrWhiteSpace((string?)c!["help"])));

        var cluster = await Cli.OkAsync(nodes.OpsA, "help", "cluster");
        Assert.Contains("cluster sharding region-stats TYPE", cluster.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("game ", cluster.Output, StringComparison.Ordinal);
        Assert.StartsWith("COMMAND", cluster.Output, StringComparison.Ordinal);

        var unknown = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "help", "nothing");
        Assert.Equal(2, unknown.ExitCode);

        // Operators read the command list in docs/operations.md: every command the node serves is there.
        var documented = File.ReadAllLines(Path.Combine(AkkaGame.TestSupport.Repository.Root, "docs", "operations.md"))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('`')[1])
            .ToList();
        Assert.All(commands, c => Assert.Contains(documented, d => d == c || d.StartsWith(c + " ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("cluster", "'cluster' needs a subcommand")]
    [InlineData("cluster sharding", "'cluster sharding' needs a subcommand")]
    [InlineData("cluster frobnicate", "unknown command 'cluster frobnicate'")]
    [InlineData("frobnicate", "unknown command 'frobnicate'; try 'help'")]
    [InlineData("cluster leave", "missing arguments; usage: cluster leave ADDRESS")]
    [InlineData("cluster show extra", "unexpected argument 'extra'")]
    [InlineData("cluster leave not-an-address", "is neither a cluster address")]
    [InlineData("actor hierarchy --depth many", "is not a number")]
    [InlineData("actor hierarchy --colour red", "unknown option --colour")]
    [InlineData("log peek 0", "is not a number from 1")]
    public async Task Usage_errors_exit_with_2_and_say_what_is_wrong(string command, string message)
    {
        var result = await Cli.RunAsync([$"127.0.0.1:{nodes.OpsA.Port}", .. command.Split(' ')]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Leave_or_down_of_an_address_that_is_no_member_fails_with_1()
    {
        var result = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "cluster", "down", "127.0.0.1:1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no member at akka.tcp://akkagame@127.0.0.1:1", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Down_unreachable_with_none_unreachable_changes_nothing()
    {
        var json = await Cli.JsonAsync(nodes.OpsA, "cluster", "down-unreachable");
        Assert.Equal("down", (string?)json["action"]);
        Assert.Empty(json["addresses"]!.AsArray());
        Assert.Equal(2, Cluster.Get(nodes.A.System).State.Members.Count);
    }

    [Fact]
    public async Task Sharding_commands_show_regions_stats_per_node_and_local_shards()
    {
        await using var client = TestCluster.NewClient(nodes.A, "sharding-" + Guid.NewGuid().ToString("N")[..6]);
        var welcome = await client.ConnectAsync();

        var regions = (await Cli.JsonAsync(nodes.OpsA, "cluster", "sharding", "regions")).AsArray();
        Assert.Equal(["player", "sector"], regions.Select(r => (string?)r!["type"]));
        Assert.All(regions, r => Assert.Equal(2, r!["nodes"]!.AsArray().Count));
        Assert.All(regions, r => Assert.True((int)r!["localShards"]! >= 0));

        await Eventually.AwaitAssertAsync(async () =>
        {
            var stats = await Cli.JsonAsync(nodes.OpsB, "cluster", "sharding", "region-stats", "player");
            Assert.Equal("player", (string?)stats["type"]);
            var perNode = stats["regions"]!.AsArray();
            Assert.Equal(2, perNode.Count);
            Assert.Equal(
                new[] { TestCluster.AddressOf(nodes.A), TestCluster.AddressOf(nodes.B) }.Order(StringComparer.Ordinal),
                perNode.Select(r => (string)r!["node"]!).Order(StringComparer.Ordinal));
            Assert.True(perNode.Sum(r => (int)r!["entities"]!) >= 1);
            Assert.All(perNode, r => Assert.Empty(r!["failedShards"]!.AsArray()));
        }, TimeSpan.FromSeconds(10));

        // The player entity lives on one of the two nodes; its shard-stats list it by id.
        var ids = new List<string>();
        foreach (var ops in new[] { nodes.OpsA, nodes.OpsB })
        {
            var local = await Cli.JsonAsync(ops, "cluster", "sharding", "shard-stats", "player");
            Assert.Equal("player", (string?)local["type"]);
            Assert.NotNull((string?)local["node"]);
            ids.AddRange(local["shards"]!.AsArray().SelectMany(s => s!["entities"]!.AsArray().Select(e => (string)e!)));
        }

        Assert.Contains(welcome.PlayerId, ids);

        var table = await Cli.OkAsync(nodes.OpsA, "cluster", "sharding", "region-stats", "sector");
        Assert.Matches(@"^NODE\s+SHARDS\s+ENTITIES\s+FAILED", table.Output);

        var unknown = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "cluster", "sharding", "region-stats", "spaceship");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no shard region 'spaceship' on this node; there are: player, sector", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actor_hierarchy_walks_user_and_system_to_the_depth_asked()
    {
        var json = await Cli.JsonAsync(nodes.OpsA, "actor", "hierarchy", "--depth", "1");
        var actors = json["actors"]!.AsArray();
        var paths = actors.Select(a => (string?)a!["path"]).ToList();
        Assert.Contains("/user", paths);
        Assert.Contains("/user/gateway", paths);
        Assert.Contains("/system", paths);
        Assert.Contains("/system/sharding", paths);
        Assert.Contains(actors, a => (string?)a!["type"] == "RecentLogLines" && ((string)a["path"]!).StartsWith("/system/log", StringComparison.Ordinal));
        Assert.All(actors, a => Assert.InRange((int)a!["depth"]!, 0, 1));
        Assert.Equal("GatewayActor", (string?)actors.Single(a => (string?)a!["path"] == "/user/gateway")!["type"]);
        Assert.False((bool)json["truncated"]!);

        var deeper = await Cli.JsonAsync(nodes.OpsA, "actor", "hierarchy", "--depth", "2");
        Assert.Contains(deeper["actors"]!.AsArray(), a => (string?)a!["path"] == "/system/sharding/sector");

        var table = await Cli.OkAsync(nodes.OpsA, "actor", "hierarchy");
        Assert.Matches(@"^PATH\s+TYPE\s+CHILDREN", table.Output);
        Assert.Contains("  /user/gateway", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_peek_shows_this_nodes_recent_lines()
    {
        var lines = (await Cli.JsonAsync(nodes.OpsB, "log", "peek", "1000")).AsArray();
        Assert.Contains(lines, l => ((string?)l!["message"])!.StartsWith("Operator endpoint listening on 127.0.0.1:" + nodes.OpsB.Port, StringComparison.Ordinal));
        Assert.All(lines, l =>
        {
            Assert.Contains((string?)l!["level"], Levels);
            Assert.NotNull((string?)l["source"]);
            Assert.NotNull((string?)l["time"]);
        });

        // Every command is logged (through the logger, asynchronously): a later peek shows the earlier one.
        await Eventually.AwaitAssertAsync(async () =>
        {
            var last = (await Cli.JsonAsync(nodes.OpsB, "log", "peek", "20")).AsArray();
            Assert.Equal(20, last.Count);
            Assert.Contains(last, l => ((string?)l!["message"])!.EndsWith(": log peek 1000", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(5));

        var table = await Cli.OkAsync(nodes.OpsB, "log", "peek", "3");
        Assert.Matches(@"^TIME\s+LEVEL\s+SOURCE\s+MESSAGE", table.Output);
        Assert.Equal(4, table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Cluster_join_sends_a_join_and_reports_the_address()
    {
        // Joining the cluster a node is already in is a no-op for Akka; the reply's shape is what counts here
        // (MembershipTests joins a node that is in no cluster yet).
        var json = await Cli.JsonAsync(nodes.OpsB, "cluster", "join", TestCluster.AddressOf(nodes.A));
        Assert.Equal("join", (string?)json["action"]);
        Assert.Equal(TestCluster.AddressOf(nodes.A), (string?)json["address"]);
        Assert.Equal(2, Cluster.Get(nodes.B.System).State.Members.Count(m => m.Status == MemberStatus.Up));
    }

    [Fact]
    public async Task Json_mode_leaves_out_table_and_text_and_plain_mode_keeps_them()
    {
        await using var client = await OpsClient.ConnectAsync(new HostPort("127.0.0.1", nodes.OpsA.Port), TimeSpan.FromSeconds(5), CancellationToken.None);
        var json = await client.RunAsync(["cluster", "show"], null, json: true).OnlyReplyAsync();
        Assert.True(json.Ok);
        Assert.False(json.More);
        Assert.Null(json.Table);
        Assert.Null(json.Text);
        Assert.IsType<JsonObject>(json.Data);

        var plain = await client.RunAsync(["cluster", "show"], null, json: false).OnlyReplyAsync();
        Assert.Equal(["ADDRESS", "STATUS", "ROLES", "REACHABILITY", "NOTES"], plain.Table!.Columns);
        Assert.Equal(2, plain.Table.Rows.Count);
        Assert.NotNull(plain.Text);
        Assert.Equal(json.Id + 1, plain.Id);
    }
}
