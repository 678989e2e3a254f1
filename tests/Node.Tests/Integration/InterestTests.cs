using System.Collections.Concurrent;
using Akkagame.V1;
using AkkaGame.Node.Tests.Support;
using AkkaGame.TestSupport;
using Xunit;
using static AkkaGame.TestSupport.ClientSteps;

namespace AkkaGame.Node.Tests.Integration;

/// <summary>
/// Interest management over real TCP (docs/crowds.md): with an interest radius of 100, two
/// players far apart in one sector do not see each other; as one flies to the other it arrives
/// as a whole ship, and as it flies away it is listed in removed_ships, as PROTOCOL.md says.
/// </summary>
public sealed class InterestTests(InterestTests.InterestNode fixture) : IClassFixture<InterestTests.InterestNode>
{
    [Fact]
    public async Task Players_far_apart_do_not_see_each_other_and_do_once_they_meet()
    {
        await using var a = fixture.NewClient(token: fixture.Token(NewName(), "Ann"));
        var (welcomeA, _) = await a.LoginAsync();
        await a.FlyToAsync(100, 100);

        // Everything Ann is told about Bob, from before Bob exists.
        var bobId = PlayerInSector(welcomeA.SectorId);
        var aboutBob = new ConcurrentQueue<(Ship? Ship, bool Removed)>();
        a.MessageReceived += m =>
        {
            foreach (var ship in m.Delta?.Ships.Where(s => s.PlayerId == bobId) ?? [])
            {
                aboutBob.Enqueue((ship.Clone(), false));
            }

            if (m.Delta?.RemovedShips.Contains(bobId) == true)
            {
                aboutBob.Enqueue((null, true));
            }
        };

        // Bob appears near the centre, far beyond Ann's view (cells of 100 around (100, 100)).
        await using var b = fixture.NewClient(token: fixture.Token(bobId, "Bob"));
        var (_, snapshotB) = await b.LoginAsync();
        Assert.Contains(snapshotB.Ships, s => s.PlayerId == bobId);
        Assert.DoesNotContain(snapshotB.Ships, s => s.PlayerId == welcomeA.PlayerId);
        await b.FlyToAsync(900, 900);
        Assert.Empty(aboutBob);

        // Bob flies to Ann: she first hears of him as a whole ship, close to her.
        var seq = await b.SendMoveToAsync(130, 120);
        var met = await a.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == bobId && s.LastInputSeq >= seq && Math.Abs(s.X - 130) < 0.5f) == true, Wait);
        Assert.True(aboutBob.TryPeek(out var first));
        Assert.Equal("Bob", first.Ship!.Name);
        Assert.True(first.Ship.Connected);
        Assert.InRange(first.Ship.X, 0, 300);
        Assert.InRange(first.Ship.Y, 0, 300);
        Assert.NotNull(met);

        // And he leaves her view again: removed_ships, though he is still in the sector.
        await b.FlyToAsync(900, 100);
        await a.NextAsync(m => m.Delta?.RemovedShips.Contains(bobId) == true, Wait);
        Assert.Contains(aboutBob, e => e.Removed);
    }

    [Fact]
    public async Task A_client_that_predicts_motion_works_out_its_view_where_a_client_beside_it_sent_every_move_sees_it()
    {
        // Two watchers at the same point see the same ships; players fly through their view,
        // in and out of it, and about within it.
        const string sector = "s-2-6";
        await using var predicting = fixture.NewClient(token: fixture.Token(PlayerInSector(sector), "Seer"), predictsMotion: true);
        await using var everything = fixture.NewClient(token: fixture.Token(PlayerInSector(sector), "Told"));
        var audit = new MotionAudit(predicting, everything);
        var (welcome, _) = await predicting.LoginAsync();
        await everything.LoginAsync();
        await Task.WhenAll(predicting.FlyToAsync(450, 450), everything.FlyToAsync(450, 450));
        await everything.RequestAsync(Ping(1));
        var from = audit.LatestTick(sector) + 1;

        await using var ann = fixture.NewClient(token: fixture.Token(PlayerInSector(sector), "Ann"));
        await using var bob = fixture.NewClient(token: fixture.Token(PlayerInSector(sector), "Bob"));
        await ann.LoginAsync();
        await bob.LoginAsync();
        for (var leg = 0; leg < 6; leg++)
        {
            var (across, about) = leg % 2 == 0 ? (950f, 380f) : (50f, 520f);
            await Task.WhenAll(ann.FlyToAsync(across, 450), bob.FlyToAsync(about, about));
        }

        await predicting.RequestAsync(Ping(1));
        await everything.RequestAsync(Ping(1));
        Assert.True(audit.Check(sector, welcome.TickHz, from) >= 10, "too few positions to compare");
        var (sentPredicting, sentEverything) = audit.ShipsSent(sector, from);
        Assert.True(sentPredicting < sentEverything, $"{sentPredicting} ships sent to the predicting client, {sentEverything} to the other");
    }

    /// <summary>An interest radius of 100 in sectors of 1000 × 1000; fast ships, so flights take a fraction of a second.</summary>
    public sealed class InterestNode : NodeFixture
    {
        protected override string Hocon => """
            akkagame.world.ship-speed = 4000
            akkagame.sector.interest-radius = 100
            """;
    }
}
