using System.Collections.Concurrent;
using System.Diagnostics;
using AkkaGame.Game.Simulation;
using AkkaGame.Ops.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AkkaGame.Ops.Tests;

/// <summary>
/// Operators place sectors (docs/crowds.md): a live sector moves to a named node while its
/// player stays connected, loses nothing acknowledged, and waits less than a second for a frame;
/// a reserved node takes only its sectors. Two nodes in this process, a real client over TCP.
/// </summary>
[Collection(TwoNodesCollection.Name)]
public class PlacementCommandTests(TwoNodes nodes, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Game_sector_move_moves_a_live_sector_while_its_player_stays_connected_and_loses_nothing()
    {
        var id = "p-" + Guid.NewGuid().ToString("N")[..8];
        await using var client = TestCluster.NewClient(nodes.A, id, "Mover");
        var welcome = await client.ConnectAsync();
        var sector = welcome.SectorId;
        await client.NextAsync(m => m.Snapshot is not null, Wait);

        // An acknowledged chat line, and a ship flying for the whole test: a delta every tick.
        var chat = await client.RequestAsync(new Akkagame.V1.ClientMessage { Chat = new Akkagame.V1.Chat { Text = "before the move" } }, Wait);
        Assert.NotNull(chat.Chat);
        await client.SendMoveToAsync(welcome.SectorId == "s-0-0" ? 999 : 1, 999);
        var frames = new ConcurrentQueue<long>();
        client.MessageReceived += m =>
        {
            if (m.Delta is not null || m.Snapshot is not null)
            {
                frames.Enqueue(Stopwatch.GetTimestamp());
            }
        };

        var from = await HostOfAsync(sector);
        var to = from == TestCluster.AddressOf(nodes.A) ? nodes.B : nodes.A;
        var target = TestCluster.AddressOf(to);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var moved = await Cli.JsonAsync(nodes.OpsA, "game", "sector", "move", sector, target[(target.IndexOf('@') + 1)..]);
            Assert.True((bool)moved["running"]!, moved.ToJsonString());
            Assert.Equal(target, (string?)moved["node"]);
            Assert.Equal(target, await HostOfAsync(sector));

            // The new node's snapshot, then ten of its deltas: the move is over for the player.
            var snapshot = (await client.NextAsync(m => m.Snapshot is not null && m.Snapshot.SectorId == sector, Wait)).Snapshot;
            for (var i = 0; i < 10; i++)
            {
                await client.NextAsync(m => m.Delta is not null, Wait);
            }

            // The player kept its connection and got frames all along: the longest gap in the move.
            Assert.True(client.IsConnected);
            var times = frames.Where(t => t >= started).ToList();
            Assert.True(times.Count > 10, $"only {times.Count} frames during the move");
            var longest = times.Zip(times.Skip(1), (a, b) => Stopwatch.GetElapsedTime(a, b)).Max();
            output.WriteLine($"move answered in {(long)moved["elapsedMs"]!} ms; longest wait for a frame {longest.TotalMilliseconds:0} ms ({times.Count} frames)");
            Assert.True(longest < TimeSpan.FromSeconds(1), $"a {longest.TotalMilliseconds:0} ms wait for a frame during the move");

            // Nothing acknowledged lost: the new node's snapshot has the chat line.
            Assert.Contains(snapshot.RecentChat, c => c.Text == "before the move");
            Assert.Contains(snapshot.Ships, s => s.PlayerId == id && s.Connected);

            // It stays: listed as pinned (on either node), and still there after rebalances.
            await Eventually.AwaitAssertAsync(async () =>
            {
                var placement = await Cli.JsonAsync(nodes.OpsB, "game", "placement");
                Assert.Contains(placement["pins"]!.AsArray(), p => (string?)p!["sector"] == sector && (string?)p["node"] == target);
            }, Wait);
            // And it stays through the next rebalances (every second): sampled for two seconds.
            var watching = Stopwatch.StartNew();
            while (watching.Elapsed < TimeSpan.FromSeconds(2))
            {
                Assert.Equal(target, await HostOfAsync(sector));
                await Task.Delay(250);
            }
        }
        finally
        {
            await Cli.OkAsync(nodes.OpsA, "game", "sector", "unpin", sector);
        }

        await Eventually.AwaitAssertAsync(async () =>
        {
            var after = await Cli.JsonAsync(nodes.OpsA, "game", "placement");
            Assert.DoesNotContain(after["pins"]!.AsArray(), p => (string?)p!["sector"] == sector);
        }, Wait);
    }

    [Fact]
    public async Task A_reinforced_node_takes_its_sectors_and_no_others()
    {
        // Players in three sectors: each sector runs somewhere.
        var clients = new List<Protocol.Client.GameClient>();
        var sectors = new List<string>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = TestCluster.NewClient(i % 2 == 0 ? nodes.A : nodes.B, "r-" + Guid.NewGuid().ToString("N")[..8], "R" + i);
                clients.Add(client);
                sectors.Add((await client.ConnectAsync()).SectorId);
            }

            // The battle sector is one that runs elsewhere now, when there is one: it has to move.
            var reserved = TestCluster.AddressOf(nodes.B);
            var before = await HostsAsync();
            var battle = sectors.FirstOrDefault(s => before.GetValueOrDefault(s) != reserved) ?? sectors[0];
            await Cli.OkAsync(nodes.OpsA, "game", "reinforce", reserved[(reserved.IndexOf('@') + 1)..], battle);

            // Within seconds: the battle sector on B, every other running sector on A.
            var deadline = Stopwatch.StartNew();
            Dictionary<string, string> hosts = [];
            while (deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                hosts = await HostsAsync();
                if (hosts.GetValueOrDefault(battle) == reserved && hosts.Where(h => h.Key != battle).All(h => h.Value != reserved))
                {
                    break;
                }

                await Task.Delay(250);
            }

            Assert.Equal(reserved, hosts.GetValueOrDefault(battle));
            Assert.All(hosts.Where(h => h.Key != battle), h => Assert.NotEqual(reserved, h.Value));
            Assert.All(clients, c => Assert.True(c.IsConnected));
        }
        finally
        {
            var reserved = TestCluster.AddressOf(nodes.B);
            await Cli.OkAsync(nodes.OpsA, "game", "unreinforce", reserved[(reserved.IndexOf('@') + 1)..]);
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        await Eventually.AwaitAssertAsync(async () =>
        {
            var placement = await Cli.JsonAsync(nodes.OpsA, "game", "placement");
            Assert.Empty(placement["pins"]!.AsArray());
            Assert.Empty(placement["reserved"]!.AsArray());
        }, Wait);
    }

    /// <summary>
    /// Load-aware placement with a real hot sector: 300 players connected in one sector make it
    /// weigh four empty ones (PlacementDecisions.Weight), and the rebalances move light sectors
    /// off its node until that node holds fewer other sectors than the other node holds in all.
    /// Sharding's default strategy counts sectors only and would leave them as they were.
    /// </summary>
    [Fact]
    public async Task A_node_with_a_hot_sector_gives_other_sectors_to_the_other_node()
    {
        const int HotPlayers = 300;
        var rules = nodes.A.Settings.World;
        var clients = new List<Protocol.Client.GameClient>();
        try
        {
            // Light sectors, one player each, until one node holds more running sectors than the
            // other: the hot sector is put on that node, so the test can only pass by moves.
            var ours = new List<string>();
            Dictionary<string, string> hosts = [];
            string hotNode = string.Empty;
            for (var tries = 0; tries < 12; tries++)
            {
                var id = NewPlayerId(rules, "l-", home => !ours.Contains(home));
                var client = TestCluster.NewClient(tries % 2 == 0 ? nodes.A : nodes.B, id, "Light");
                clients.Add(client);
                ours.Add((await client.ConnectAsync()).SectorId);
                if (ours.Count < 4)
                {
                    continue;
                }

                await Eventually.AwaitAssertAsync(async () =>
                {
                    hosts = await HostsAsync();
                    Assert.All(ours, s => Assert.Contains(s, hosts.Keys));
                }, Wait);
                var counts = CountsByNode(hosts);
                if (counts.Count == 2 && counts.Values.Distinct().Count() == 2)
                {
                    hotNode = counts.MaxBy(c => c.Value).Key;
                    break;
                }
            }

            Assert.NotEqual(string.Empty, hotNode);
            var hot = ours.First(s => hosts[s] == hotNode);
            var otherNode = hosts.Values.First(n => n != hotNode);
            var before = CountsByNode(hosts);
            output.WriteLine($"before: hot sector {hot} on {hotNode}; {before[hotNode] - 1} other sectors there, {before[otherNode]} on {otherNode}");

            // The crowd arrives: players whose home is the hot sector, on both nodes.
            // One id in 64 has the hot sector for its home.
            var crowd = Enumerable.Range(0, HotPlayers).Select(_ => NewPlayerId(rules, "c-", home => home == hot)).ToList();
            foreach (var batch in crowd.Chunk(50))
            {
                var joined = batch.Select((id, i) => TestCluster.NewClient(i % 2 == 0 ? nodes.A : nodes.B, id, "Crowd")).ToList();
                clients.AddRange(joined);
                Assert.All(await Task.WhenAll(joined.Select(c => c.ConnectAsync())), w => Assert.Equal(hot, w.SectorId));
            }

            // Within seconds (a rebalance every second): the hot node holds fewer other sectors
            // than the other node holds, and the hot sector itself stayed where it was.
            var watch = Stopwatch.StartNew();
            Dictionary<string, int> after = [];
            while (watch.Elapsed < TimeSpan.FromSeconds(30))
            {
                hosts = await HostsAsync();
                after = CountsByNode(hosts);
                if (hosts.GetValueOrDefault(hot) == hotNode && after.GetValueOrDefault(hotNode) - 1 < after.GetValueOrDefault(otherNode))
                {
                    break;
                }

                await Task.Delay(250);
            }

            output.WriteLine($"after {watch.Elapsed.TotalSeconds:0.0} s: {after.GetValueOrDefault(hotNode) - 1} other sectors on {hotNode}, {after.GetValueOrDefault(otherNode)} on {otherNode}");
            Assert.Equal(hotNode, hosts.GetValueOrDefault(hot));
            Assert.True(after.GetValueOrDefault(hotNode) - 1 < after.GetValueOrDefault(otherNode), $"the hot node still holds {after.GetValueOrDefault(hotNode) - 1} other sectors, the other node {after.GetValueOrDefault(otherNode)}");
            Assert.All(clients, c => Assert.True(c.IsConnected));
        }
        finally
        {
            await Task.WhenAll(clients.Select(async c => await c.DisposeAsync()));
        }
    }

    private static Dictionary<string, int> CountsByNode(Dictionary<string, string> hosts) =>
        hosts.GroupBy(h => h.Value).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>A new player id (with <paramref name="prefix"/>) whose home sector <paramref name="wanted"/> accepts.</summary>
    private static string NewPlayerId(WorldRules rules, string prefix, Func<string, bool> wanted)
    {
        while (true)
        {
            var id = prefix + Guid.NewGuid().ToString("N")[..10];
            if (wanted(SectorId.HomeOf(id, rules)))
            {
                return id;
            }
        }
    }

    private async Task<string?> HostOfAsync(string sector) => (await HostsAsync()).GetValueOrDefault(sector);

    private async Task<Dictionary<string, string>> HostsAsync()
    {
        var json = await Cli.JsonAsync(nodes.OpsA, "game", "sectors");
        return json["sectors"]!.AsArray().ToDictionary(s => (string)s!["sector"]!, s => (string)s!["node"]!);
    }
}
