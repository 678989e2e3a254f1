using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaGame.Game.Configuration;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Players;
using AkkaGame.Game.Simulation;
using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

public class PlayerActorTests : TestKit
{
    private static readonly PlayerSettings Settings = new(SnapshotEvery: 3, RememberedOperations: 50);

    public PlayerActorTests()
        : base(TestConfig.Node(TestConfig.NewDataDir(), "akka.actor.provider = local"))
    {
    }

    private IActorRef StartPlayer(string id) => Sys.ActorOf(PlayerActor.Props(id, WorldRules.Default, Settings));

    private void Restart(ref IActorRef player, string id)
    {
        Watch(player);
        player.Tell(PoisonPill.Instance);
        ExpectTerminated(player, TimeSpan.FromSeconds(10));
        player = StartPlayer(id);
    }

    [Fact]
    public void A_retried_credit_operation_is_never_applied_twice_even_across_restarts()
    {
        var player = StartPlayer("p-credits");
        player.Tell(new AddCredits("p-credits", "op-1", 10, "mine"));
        Assert.Equal(10, ExpectMsg<CreditsChanged>(TimeSpan.FromSeconds(10)).Balance);
        player.Tell(new AddCredits("p-credits", "op-1", 10, "mine"));
        Assert.Equal(10, ExpectMsg<CreditsChanged>(TimeSpan.FromSeconds(10)).Balance);

        // Enough operations for snapshots to be taken (every 3 events), then a restart.
        for (var i = 2; i <= 7; i++)
        {
            player.Tell(new AddCredits("p-credits", $"op-{i}", 10, "mine"));
            ExpectMsg<CreditsChanged>(TimeSpan.FromSeconds(10));
        }

        Restart(ref player, "p-credits");
        player.Tell(new AddCredits("p-credits", "op-1", 10, "mine"));
        Assert.Equal(10, ExpectMsg<CreditsChanged>(TimeSpan.FromSeconds(10)).Balance);
        player.Tell(new AddCredits("p-credits", "op-7", 10, "mine"));
        Assert.Equal(70, ExpectMsg<CreditsChanged>(TimeSpan.FromSeconds(10)).Balance);
        player.Tell(new GetPlayerInfo("p-credits"));
        Assert.Equal(70, ExpectMsg<PlayerInfo>(TimeSpan.FromSeconds(10)).Credits);
    }

    [Fact]
    public void Attach_registers_a_home_sector_and_a_second_session_replaces_the_first()
    {
        var player = StartPlayer("p-attach");
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        player.Tell(new AttachSession("p-attach", "Ann", first.Ref));
        var attached = ExpectMsg<PlayerAttached>(TimeSpan.FromSeconds(10));
        Assert.Equal(SectorId.HomeOf("p-attach", WorldRules.Default), attached.SectorId);

        player.Tell(new AttachSession("p-attach", "Ann", second.Ref));
        ExpectMsg<PlayerAttached>(TimeSpan.FromSeconds(10));
        first.ExpectMsg<SessionReplaced>(TimeSpan.FromSeconds(10));
        second.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_stale_instance_whose_write_the_store_refuses_answers_not_stored_and_stops()
    {
        // Two live instances of one player, as a double allocation would make them: both
        // recover the same state; the second stores a credit first, so the first one's next
        // write takes a sequence number that is already stored, and the journal's key refuses it.
        var stale = StartPlayer("p-twice");
        stale.Tell(new GetPlayerInfo("p-twice"));
        ExpectMsg<PlayerInfo>(TimeSpan.FromSeconds(10));
        var live = StartPlayer("p-twice");
        live.Tell(new AddCredits("p-twice", "op-live", 10, "mine"));
        Assert.Equal(10, ExpectMsg<CreditsChanged>(TimeSpan.FromSeconds(10)).Balance);

        var failuresBefore = PersistenceFailures.Get(Sys).Count;
        Watch(stale);
        stale.Tell(new AddCredits("p-twice", "op-stale", 10, "mine"));
        var answer = ExpectMsg<object>(TimeSpan.FromSeconds(10));
        Assert.IsType<WriteNotStored>(answer);
        ExpectTerminated(stale, TimeSpan.FromSeconds(10));

        // Counted from the persistence callback, for game stats.
        Assert.Equal(failuresBefore + 1, PersistenceFailures.Get(Sys).Count);

        // The store holds only what was acknowledged.
        var fresh = StartPlayer("p-twice");
        fresh.Tell(new GetPlayerInfo("p-twice"));
        Assert.Equal(10, ExpectMsg<PlayerInfo>(TimeSpan.FromSeconds(10)).Credits);
    }

    [Fact]
    public void Relocation_is_stored()
    {
        var player = StartPlayer("p-jump");
        player.Tell(new AttachSession("p-jump", "Ann", TestActor));
        ExpectMsg<PlayerAttached>(TimeSpan.FromSeconds(10));
        player.Tell(new RelocatePlayer("p-jump", "s-7-7"));
        ExpectMsg<PlayerRelocated>(TimeSpan.FromSeconds(10));

        Restart(ref player, "p-jump");
        player.Tell(new GetPlayerInfo("p-jump"));
        Assert.Equal("s-7-7", ExpectMsg<PlayerInfo>(TimeSpan.FromSeconds(10)).SectorId);
    }
}
