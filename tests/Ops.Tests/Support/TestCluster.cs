using Akka.Cluster;
using AkkaGame.Node.Hosting;
using AkkaGame.Protocol.Client;
using Xunit;

namespace AkkaGame.Ops.Tests.Support;

/// <summary>
/// Game nodes in this process forming one cluster on loopback: the first forms it, the others
/// join it with --seeds. Each node has its own SQLite database and free ports.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);

    private TestCluster(List<GameNode> nodes) => Nodes = nodes;

    public List<GameNode> Nodes { get; }

    public GameNode this[int index] => Nodes[index];

    public static async Task<TestCluster> StartAsync(int count, params string[] extraArgs)
    {
        var first = await GameNode.StartAsync(TestConfig.Node(extraArgs));
        var nodes = new List<GameNode> { first };
        var cluster = new TestCluster(nodes);
        try
        {
            var seed = Cluster.Get(first.System).SelfAddress.ToString();
            for (var i = 1; i < count; i++)
            {
                nodes.Add(await GameNode.StartAsync(TestConfig.Node(["--seeds", seed, .. extraArgs])));
            }

            await cluster.AwaitUpAsync(count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public static string AddressOf(GameNode node) => Cluster.Get(node.System).SelfAddress.ToString();

    /// <summary>Every node sees <paramref name="count"/> members, all Up.</summary>
    public Task AwaitUpAsync(int count) => Eventually.AwaitAssertAsync(() =>
    {
        foreach (var node in Nodes)
        {
            var members = Cluster.Get(node.System).State.Members;
            Assert.Equal(count, members.Count(m => m.Status == MemberStatus.Up));
        }
    }, FormTimeout);

    /// <summary>A client logged in with a token for a new player id (guests are off in a cluster).</summary>
    public static GameClient NewClient(GameNode node, string playerId, string name = "Tester", bool predictsMotion = false) => new(new GameClientOptions
    {
        Endpoints = [$"127.0.0.1:{node!.GameEndpoint.Port}"],
        Token = node.Tokens.MintPlayerToken(playerId, name, TimeSpan.FromHours(1)),
        PingInterval = TimeSpan.FromSeconds(1),
        AutoReconnect = false,
        PredictsMotion = predictsMotion,
    });

    /// <summary>All nodes stop at once: their coordinated shutdowns overlap instead of queueing.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Nodes.Select(async n => await n.DisposeAsync()));
    }
}
