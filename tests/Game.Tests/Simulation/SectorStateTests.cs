using System.Numerics;
using AkkaGame.Game.Simulation;
using Xunit;

namespace AkkaGame.Game.Tests.Simulation;

public class SectorStateTests
{
    private static readonly WorldRules Rules = WorldRules.Default;

    private static SectorState NewSector(string id = "s-1-1") => new(id, Rules);

    /// <summary>Runs ticks until the predicate holds, bounded so a broken simulation fails instead of hanging.</summary>
    private static long TickUntil(SectorState sector, Func<bool> done, long startMs = 0, int maxTicks = 2000)
    {
        var now = startMs;
        for (var i = 0; i < maxTicks && !done(); i++)
        {
            now += 1000 / Rules.TickHz;
            sector.Advance(now);
        }

        Assert.True(done(), "condition not reached within the tick bound");
        return now;
    }

    [Fact]
    public void Ship_flies_at_ship_speed_and_stops_on_arrival()
    {
        var sector = NewSector();
        var ship = sector.Enter("p1", "Ann", new Vector2(100, 100));
        Assert.Equal(Rejection.None, sector.MoveTo("p1", 1, 200, 100));

        sector.Advance(50);
        Assert.Equal(105f, ship.Position.X, 3);
        Assert.Equal(Rules.ShipSpeed, ship.Velocity.Length(), 3);

        TickUntil(sector, () => ship.Position == new Vector2(200, 100));
        Assert.Equal(Vector2.Zero, ship.Velocity);
        Assert.Equal(1u, ship.LastInputSeq);
    }

    [Fact]
    public void Move_target_is_clamped_into_the_sector()
    {
        var sector = NewSector();
        var ship = sector.Enter("p1", "Ann", new Vector2(990, 10));
        sector.MoveTo("p1", 1, 5000, -300);
        TickUntil(sector, () => ship.Velocity == Vector2.Zero && ship.Position == ship.Target);
        Assert.Equal(new Vector2(Rules.Width, 0), ship.Position);
    }

    [Theory]
    [InlineData(float.NaN, 1)]
    [InlineData(1, float.NaN)]
    [InlineData(float.PositiveInfinity, 1)]
    [InlineData(1, float.NegativeInfinity)]
    public void Move_with_nan_or_infinity_is_invalid_and_changes_nothing(float x, float y)
    {
        var sector = NewSector();
        var ship = sector.Enter("p1", "Ann", new Vector2(100, 100));
        Assert.Equal(Rejection.InvalidInput, sector.MoveTo("p1", 7, x, y));
        Assert.Equal(new Vector2(100, 100), ship.Target);
        Assert.Equal(0u, ship.LastInputSeq);
    }

    [Fact]
    public void Mining_needs_range_then_respects_cooldown()
    {
        var sector = NewSector();
        var asteroid = sector.Asteroids.First();
        sector.Enter("p1", "Ann", asteroid.Position + new Vector2(Rules.MiningRange + 1, 0));
        Assert.Equal(Rejection.OutOfRange, sector.Mine("p1", asteroid.Id, 0).Rejection);

        var ship = sector.FindShip("p1")!;
        ship.Position = asteroid.Position + new Vector2(Rules.MiningRange - 1, 0);
        var first = sector.Mine("p1", asteroid.Id, 1000);
        Assert.True(first.Ok);
        Assert.Equal(Rules.MineAmount, first.Amount);
        Assert.Equal(Rules.AsteroidMaxOre - Rules.MineAmount, asteroid.Ore);

        Assert.Equal(Rejection.Cooldown, sector.Mine("p1", asteroid.Id, 1999).Rejection);
        Assert.True(sector.Mine("p1", asteroid.Id, 2000).Ok);
    }

    [Fact]
    public void Mining_an_unknown_asteroid_is_unknown_target()
    {
        var sector = NewSector();
        sector.Enter("p1", "Ann", null);
        Assert.Equal(Rejection.UnknownTarget, sector.Mine("p1", "a-99", 0).Rejection);
    }

    [Fact]
    public void Depleted_asteroid_is_invalid_input_and_ore_regenerates_one_per_second()
    {
        var sector = NewSector();
        var asteroid = sector.Asteroids.First();
        sector.RestoreAsteroid(asteroid.Id, Rules.MineAmount - 1);
        sector.Enter("p1", "Ann", asteroid.Position);
        Assert.Equal(Rejection.InvalidInput, sector.Mine("p1", asteroid.Id, 0).Rejection);

        // One second of ticks regains one unit of ore; the asteroid is reported as changed.
        var changedAsteroids = 0;
        for (var t = 1; t <= Rules.TickHz; t++)
        {
            changedAsteroids += sector.Advance(t * 50).ChangedAsteroids.Count(a => a.Id == asteroid.Id);
        }

        Assert.Equal(Rules.MineAmount, asteroid.Ore);
        Assert.Equal(1, changedAsteroids);
        Assert.True(sector.Mine("p1", asteroid.Id, 5000).Ok);
        Assert.Equal(0, asteroid.Ore);
    }

    [Fact]
    public void Ore_never_regenerates_past_the_maximum()
    {
        var sector = NewSector();
        for (var t = 1; t <= Rules.TickHz * 3; t++)
        {
            Assert.Empty(sector.Advance(t * 50).ChangedAsteroids);
        }

        Assert.All(sector.Asteroids, a => Assert.Equal(Rules.AsteroidMaxOre, a.Ore));
    }

    [Fact]
    public void Jump_needs_a_known_gate_in_range_and_arrives_beside_the_gate_back()
    {
        var sector = NewSector("s-1-1");
        var east = sector.Layout.Gates.Single(g => g.Id == "s-2-1");
        Assert.Equal(new Vector2(Rules.Width - 50, Rules.Height / 2), east.Position);
        sector.Enter("p1", "Ann", east.Position + new Vector2(-(Rules.JumpRange + 5), 0));

        Assert.Equal(Rejection.UnknownTarget, sector.Jump("p1", "s-9-9").Rejection);
        Assert.Equal(Rejection.OutOfRange, sector.Jump("p1", "s-2-1").Rejection);

        sector.FindShip("p1")!.Position = east.Position + new Vector2(-10, 0);
        var jump = sector.Jump("p1", "s-2-1");
        Assert.True(jump.Ok);
        Assert.Equal("s-2-1", jump.ToSector);
        Assert.Null(sector.FindShip("p1"));
        Assert.Contains("p1", sector.Advance(50).RemovedShips);

        var destination = SectorLayout.For("s-2-1", Rules);
        var arrival = destination.ArrivalFrom("s-1-1", Rules);
        var westGate = destination.Gates.Single(g => g.ToSector == "s-1-1");
        Assert.Equal(new Vector2(50, Rules.Height / 2), westGate.Position);
        Assert.InRange(Vector2.Distance(arrival, westGate.Position), 1, Rules.JumpRange);
    }

    [Fact]
    public void Corner_sector_has_gates_only_to_existing_neighbours()
    {
        var layout = SectorLayout.For("s-0-0", Rules);
        Assert.Equal(["s-0-1", "s-1-0"], layout.Gates.Select(g => g.Id).Order().ToArray());
        Assert.Equal(4, SectorLayout.For("s-3-3", Rules).Gates.Count);
    }

    [Fact]
    public void Asteroid_sites_are_the_same_on_every_run_and_differ_between_sectors()
    {
        var a = SectorLayout.For("s-2-5", Rules).Asteroids;
        var b = SectorLayout.For("s-2-5", Rules).Asteroids;
        var c = SectorLayout.For("s-5-2", Rules).Asteroids;
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(x => x.Position), c.Select(x => x.Position));
        Assert.Equal(["a-0", "a-1", "a-2", "a-3", "a-4"], a.Select(x => x.Id).ToArray());
        Assert.All(a, x => Assert.InRange(x.Position.X, 0, Rules.Width));
    }

    [Fact]
    public void Disconnected_ship_stays_for_the_grace_then_leaves()
    {
        var sector = NewSector();
        sector.Enter("p1", "Ann", null);
        sector.Disconnect("p1", 1000);
        var delta = sector.Advance(1050);
        Assert.False(Assert.Single(delta.ChangedShips).Connected);

        var graceMs = (long)Rules.ReconnectGrace.TotalMilliseconds;
        Assert.NotNull(sector.FindShip("p1"));
        sector.Advance(1000 + graceMs - 1);
        Assert.NotNull(sector.FindShip("p1"));
        Assert.Contains("p1", sector.Advance(1000 + graceMs).RemovedShips);
        Assert.Null(sector.FindShip("p1"));
    }

    [Fact]
    public void Reattaching_within_grace_keeps_the_ship_and_its_position()
    {
        var sector = NewSector();
        var ship = sector.Enter("p1", "Ann", new Vector2(300, 300));
        sector.Disconnect("p1", 0);
        var again = sector.Enter("p1", "Ann", null);
        Assert.Same(ship, again);
        Assert.True(again.Connected);
        Assert.Equal(new Vector2(300, 300), again.Position);
    }

    [Fact]
    public void Quiet_tick_reports_nothing()
    {
        var sector = NewSector();
        sector.Enter("p1", "Ann", null);
        Assert.False(sector.Advance(50).IsEmpty);
        Assert.True(sector.Advance(100).IsEmpty);
    }

    [Fact]
    public void Chat_history_keeps_the_last_lines_with_increasing_ids()
    {
        var sector = NewSector();
        for (var i = 0; i < Rules.ChatHistory + 7; i++)
        {
            sector.AppendChat("p1", "Ann", $"line {i}", i);
        }

        Assert.Equal(Rules.ChatHistory, sector.RecentChat.Count);
        Assert.Equal((ulong)(Rules.ChatHistory + 7), sector.LastChatId);
        Assert.Equal("line 7", sector.RecentChat.First().Text);
        Assert.Equal(sector.RecentChat.Select(c => c.Id).Order(), sector.RecentChat.Select(c => c.Id));
    }

    [Fact]
    public void Home_sector_is_stable_and_inside_the_world()
    {
        var home = SectorId.HomeOf("player-42", Rules);
        Assert.Equal(home, SectorId.HomeOf("player-42", Rules));
        Assert.True(SectorId.IsValid(home, Rules));
        Assert.False(SectorId.IsValid("s-8-0", Rules));
        Assert.False(SectorId.IsValid("s-01-0", Rules));
    }
}
