using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaGame.Game.Configuration;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Players;
using AkkaGame.Game.Simulation;
using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

/// <summary>A node that stalled past the fence's threshold acknowledges nothing more (issue 10, the frozen-node zombie).</summary>
public class StallFenceTests : TestKit
{
    private static readonly PlayerSettings Settings = new(SnapshotEvery: 100, RememberedOperations: 50);

    public StallFenceTests()
        : base(TestConfig.Node(TestConfig.NewDataDir(), "akka.actor.provider = local"))
    {
    }

    private static long SecondsFromNow(double seconds) => Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);

    [Fact]
    public void A_stall_longer_than_the_threshold_fences_the_node_for_good()
    {
        using var fence = new StallFence(Sys, TimeSpan.FromSeconds(2));
        fence.Arm();
        Assert.True(fence.MayAcknowledge);

        fence.Observe(SecondsFromNow(3));
        Assert.False(fence.MayAcknowledge);

        // Beats are regular again afterwards; the node stays fenced: it may already have been replaced.
        fence.Observe(Stopwatch.GetTimestamp());
        Assert.False(fence.MayAcknowledge);
        Assert.True(fence.Fenced);
    }

    [Fact]
    public void Pauses_shorter_than_the_threshold_do_not_fence()
    {
        using var fence = new StallFence(Sys, TimeSpan.FromSeconds(2));
        fence.Arm();
        fence.Observe(SecondsFromNow(1));
        Assert.True(fence.MayAcknowledge);
        Assert.False(fence.Fenced);
    }

    [Fact]
    public void A_node_marked_down_is_fenced_without_a_stall()
    {
        using var fence = new StallFence(Sys, TimeSpan.FromSeconds(2));
        fence.Arm();
        fence.Latch("this node was marked down");
        Assert.False(fence.MayAcknowledge);
        Assert.True(fence.Fenced);
    }

    [Fact]
    public void An_unarmed_fence_never_refuses()
    {
        // A single node has no one to take its entities over: its fence is never armed.
        using var fence = new StallFence(Sys, TimeSpan.FromSeconds(2));
        fence.Observe(SecondsFromNow(10));
        Assert.True(fence.MayAcknowledge);
    }

    [Fact]
    public void A_player_on_a_node_that_stalled_stops_instead_of_acknowledging_a_credit()
    {
        var player = Sys.ActorOf(PlayerActor.Props("p-zombie", WorldRules.Default, Settings));
        player.Tell(new AddCredits("p-zombie", "op-1", 10, "mine"));
        Assert.Equal(10, ExpectMsg<CreditsChanged>(TimeSpan.FromSeconds(10)).Balance);

        var fence = StallFence.Get(Sys);
        fence.Arm();
        fence.Observe(SecondsFromNow(5));
        Watch(player);
        player.Tell(new AddCredits("p-zombie", "op-2", 10, "mine"));
        ExpectTerminated(player, TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }
}
