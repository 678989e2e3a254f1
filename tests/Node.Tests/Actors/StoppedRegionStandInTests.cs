using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.TestKit.Xunit2;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

/// <summary>
/// A hand-off that reaches a stopped shard region is answered with Akka's own "shard stopped",
/// so the coordinator's rebalance does not wait out its timeout (akka/akka-core#29093); nothing
/// else is answered. The chaos run's DrainDuringRebalance is the end-to-end check.
/// </summary>
public sealed class StoppedRegionStandInTests : TestKit
{
    private static readonly TimeSpan Reply = TimeSpan.FromSeconds(3);

    public StoppedRegionStandInTests()
        : base(TestConfig.Node(TestConfig.NewDataDir()))
    {
    }

    [Fact]
    public async Task A_hand_off_to_a_stopped_shard_region_is_answered_shard_stopped()
    {
        Sys.ActorOf(StoppedRegionStandIn.Props());
        var region = await StartedRegionAsync("stand-in-probe");
        Watch(region);
        region.Tell(GracefulShutdown.Instance);
        ExpectTerminated(region, TimeSpan.FromSeconds(10));

        var answer = await region.Ask(StoppedRegionStandIn.HandOff("7"), Reply);

        Assert.Equal(StoppedRegionStandIn.ShardStopped("7"), answer);
    }

    [Fact]
    public async Task A_live_region_answers_for_itself_and_other_stopped_actors_get_no_answer()
    {
        Sys.ActorOf(StoppedRegionStandIn.Props());

        // A live region without the shard answers itself, once (the stand-in stays out).
        var live = await StartedRegionAsync("live-probe");
        var probe = CreateTestProbe();
        live.Tell(StoppedRegionStandIn.HandOff("3"), probe.Ref);
        probe.ExpectMsg(StoppedRegionStandIn.ShardStopped("3"), Reply);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        // A stopped actor that is not a shard region: its hand-off is not answered.
        var other = Sys.ActorOf(Props.Empty, "not-a-region");
        Watch(other);
        Sys.Stop(other);
        ExpectTerminated(other);
        other.Tell(StoppedRegionStandIn.HandOff("3"), probe.Ref);
        probe.ExpectNoMsg(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Shard_regions_are_recognised_by_their_path()
    {
        Assert.True(StoppedRegionStandIn.IsShardRegion(ActorPath.Parse("akka://akkagame/system/sharding/player")));
        Assert.False(StoppedRegionStandIn.IsShardRegion(ActorPath.Parse("akka://akkagame/system/sharding/player/12")));
        Assert.False(StoppedRegionStandIn.IsShardRegion(ActorPath.Parse("akka://akkagame/user/sharding/player")));
    }

    private async Task<IActorRef> StartedRegionAsync(string typeName)
    {
        var cluster = Cluster.Get(Sys);
        if (cluster.SelfMember.Status != MemberStatus.Up)
        {
            await cluster.JoinAsync(cluster.SelfAddress);
        }

        return await ClusterSharding.Get(Sys).StartAsync(
            typeName,
            _ => Props.Empty,
            ClusterShardingSettings.Create(Sys).WithRole(null),
            HashCodeMessageExtractor.Create(10, _ => "e", m => m));
    }
}
