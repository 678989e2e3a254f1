using System.Text.Json.Nodes;
using Akka.Cluster;
using Akkagame.V1;
using AkkaGame.Node.Hosting;
using AkkaGame.Ops.Tests.Support;
using Xunit;

namespace AkkaGame.Ops.Tests;

/// <summary>Commands that change membership really do, each on its own fresh cluster.</summary>
public class MembershipTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Cluster_leave_removes_the_member_and_cluster_tail_streams_it()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (a, b) = (cluster[0], cluster[1]);
        var leaving = TestCluster.AddressOf(b);

        await using var tail = await OpsClient.ConnectAsync(new HostPort("127.0.0.1", a.OpsEndpoint!.Port), TimeSpan.FromSeconds(5), CancellationToken.None);
        using var stop = new CancellationTokenSource(Bound);
        var events = tail.RunAsync(["cluster", "tail"], null, json: true, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await events.MoveNextAsync());
        var snapshot = events.Current;
        Assert.True(snapshot.More);
        Assert.Equal(2, snapshot.Data!["members"]!.AsArray().Count);

        var json = await Cli.JsonAsync(a.OpsEndpoint!, "cluster", "leave", leaving);
        Assert.Equal("leave", (string?)json["action"]);
        Assert.Equal(leaving, (string?)json["address"]);
        Assert.Equal("Up", (string?)json["previousStatus"]);

        await Eventually.AwaitAssertAsync(() => Assert.DoesNotContain(Cluster.Get(a.System).State.Members, m => m.Address.ToString() == leaving), Bound);
        await b.System.WhenTerminated.WaitAsync(Bound);

        // The tail saw B go through leaving to removed.
        var seen = new List<string>();
        while (!seen.Contains("MemberRemoved") && await events.MoveNextAsync())
        {
            var data = events.Current.Data!;
            if ((string?)data["address"] == leaving)
            {
                seen.Add((string)data["event"]!);
            }
        }

        Assert.Contains("MemberLeft", seen);
        Assert.Contains("MemberRemoved", seen);
        await stop.CancelAsync();
        await events.DisposeAsync();

        var show = await Cli.JsonAsync(a.OpsEndpoint!, "cluster", "show");
        Assert.Single(show["members"]!.AsArray());
    }

    [Fact]
    public async Task Cluster_down_removes_the_member_and_it_shuts_down()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (a, b) = (cluster[0], cluster[1]);
        var downed = TestCluster.AddressOf(b);

        // host:port is enough: the endpoint completes it to this cluster's address.
        var hostPort = downed[(downed.IndexOf('@', StringComparison.Ordinal) + 1)..];
        var json = await Cli.JsonAsync(a.OpsEndpoint!, "cluster", "down", hostPort);
        Assert.Equal("down", (string?)json["action"]);
        Assert.Equal(downed, (string?)json["address"]);

        await Eventually.AwaitAssertAsync(() => Assert.DoesNotContain(Cluster.Get(a.System).State.Members, m => m.Address.ToString() == downed), Bound);
        await b.System.WhenTerminated.WaitAsync(Bound);
    }

    [Fact]
    public async Task Game_drain_tells_clients_to_reconnect_then_the_node_leaves()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (a, b) = (cluster[0], cluster[1]);
        await using var client = TestCluster.NewClient(b, "drained-" + Guid.NewGuid().ToString("N")[..6]);
        await client.ConnectAsync();

        var json = await Cli.JsonAsync(b.OpsEndpoint!, "game", "drain");
        Assert.Equal(TestCluster.AddressOf(b), (string?)json["node"]);
        Assert.Equal(1, (int)json["sessions"]!);

        var notice = (await client.NextAsync(m => m.Notice is not null, Bound)).Notice;
        Assert.Equal(NoticeKind.ShuttingDownNotice, notice.Kind);
        Assert.True(notice.ReconnectAfterMs > 0);

        await b.System.WhenTerminated.WaitAsync(Bound);
        await Eventually.AwaitAssertAsync(() => Assert.Single(Cluster.Get(a.System).State.Members), Bound);
        Assert.Equal(MemberStatus.Up, Cluster.Get(a.System).SelfMember.Status);
    }

    [Fact]
    public async Task Cluster_join_brings_a_node_with_a_dead_seed_into_the_cluster()
    {
        await using var cluster = await TestCluster.StartAsync(1);
        var a = cluster[0];

        // Misconfigured: its seed is a port where nothing runs, so it waits, in no cluster.
        var stray = await GameNode.StartAsync(TestConfig.Node("--seeds", $"akka.tcp://akkagame@127.0.0.1:{TestConfig.FreePort()}"));
        cluster.Nodes.Add(stray);
        Assert.Empty(Cluster.Get(stray.System).State.Members);

        var json = await Cli.JsonAsync(stray.OpsEndpoint!, "cluster", "join", TestCluster.AddressOf(a));
        Assert.Equal(TestCluster.AddressOf(a), (string?)json["address"]);
        await cluster.AwaitUpAsync(2);

        var show = await Cli.JsonAsync(a.OpsEndpoint!, "cluster", "show");
        Assert.Contains(show["members"]!.AsArray(), m => (string?)m!["address"] == TestCluster.AddressOf(stray));
    }
}
