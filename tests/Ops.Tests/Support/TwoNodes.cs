using System.Net;
using AkkaGame.Node.Hosting;
using Xunit;

namespace AkkaGame.Ops.Tests.Support;

/// <summary>A two-node cluster shared by the tests that leave its membership alone.</summary>
public sealed class TwoNodes : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public GameNode A => Cluster[0];

    public GameNode B => Cluster[1];

    public IPEndPoint OpsA => A.OpsEndpoint!;

    public IPEndPoint OpsB => B.OpsEndpoint!;

    /// <summary>One database for both nodes, as a cluster has: an entity that moves recovers its state on the other node.</summary>
    public async Task InitializeAsync() =>
        Cluster = await TestCluster.StartAsync(2, "--db", $"Data Source={Path.Combine(TestConfig.NewDataDir(), "akkagame.db")}");

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class TwoNodesCollection : ICollectionFixture<TwoNodes>
{
    public const string Name = "two nodes";
}
