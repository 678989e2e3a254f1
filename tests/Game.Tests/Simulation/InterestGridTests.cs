using System.Numerics;
using Akkagame.V1;
using AkkaGame.Game.Frames;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Xunit;

namespace AkkaGame.Game.Tests.Simulation;

/// <summary>Interest management without actors: cells, view changes, and deltas built from ships encoded once.</summary>
public class InterestGridTests
{
    private static readonly WorldRules Rules = WorldRules.Default with { ShipSpeed = 2000 };

    private static (SectorState Sector, InterestGrid Grid) NewSector(float radius = 100) =>
        (new SectorState("s-1-1", Rules), new InterestGrid(radius, Rules.Width, Rules.Height));

    [Fact]
    public void A_viewer_sees_its_own_cell_and_the_eight_around_it()
    {
        var grid = new InterestGrid(100, 1000, 1000);
        var centre = grid.CellOf(new Vector2(450, 450));
        Assert.True(grid.Sees(centre, grid.CellOf(new Vector2(350, 350))));
        Assert.True(grid.Sees(centre, grid.CellOf(new Vector2(599, 599))));
        Assert.False(grid.Sees(centre, grid.CellOf(new Vector2(600, 450))));
        Assert.False(grid.Sees(centre, grid.CellOf(new Vector2(299, 450))));

        // Cells do not wrap around the sector's edge.
        Assert.False(grid.Sees(grid.CellOf(new Vector2(950, 50)), grid.CellOf(new Vector2(50, 150))));

        // Every ship within the radius is in view, wherever in its cell the viewer is.
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            var viewer = new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000);
            var angle = random.NextSingle() * MathF.Tau;
            var other = Vector2.Clamp(viewer + new Vector2(MathF.Cos(angle), MathF.Sin(angle)) * random.NextSingle() * 100, Vector2.Zero, new Vector2(1000));
            Assert.True(grid.Sees(grid.CellOf(viewer), grid.CellOf(other)), $"{viewer} should see {other}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(InterestGrid.MaxCellsPerRadius)]
    public void Finer_cells_still_hold_every_ship_within_the_radius_and_none_much_farther(int cellsPerRadius)
    {
        var grid = new InterestGrid(100, 1000, 1000, cellsPerRadius);
        Assert.Equal(100f / cellsPerRadius, grid.CellSize);
        var farthest = 100 * (1 + (2 * MathF.Sqrt(2) / cellsPerRadius));
        var random = new Random(cellsPerRadius);
        for (var i = 0; i < 20_000; i++)
        {
            var viewer = new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000);
            var other = new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000);
            var distance = Vector2.Distance(viewer, other);
            var sees = grid.Sees(grid.CellOf(viewer), grid.CellOf(other));
            Assert.True(sees || distance > 100, $"{viewer} should see {other}, {distance} away");
            Assert.True(!sees || distance <= farthest, $"{viewer} should not see {other}, {distance} away");
            Assert.Equal(sees, grid.Neighbourhood(grid.CellOf(viewer)).Contains(grid.CellOf(other)));
        }

        // Along a diagonal the 3x3 block of radius-wide cells reaches 2.7 radii; four cells per radius do not.
        var (at, diagonal) = (new Vector2(105, 105), new Vector2(295, 295));
        Assert.Equal(cellsPerRadius == 1, grid.Sees(grid.CellOf(at), grid.CellOf(diagonal)));
    }

    [Fact]
    public void Four_cells_per_radius_send_about_half_the_ships_of_a_uniform_crowd()
    {
        var sector = new SectorState("s-1-1", Rules);
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            sector.Enter("p" + i, "P" + i, new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000));
        }

        // Viewers away from the edges, where the views are whole.
        var viewers = sector.Ships.Where(s => s.Position.X is > 300 and < 700 && s.Position.Y is > 300 and < 700).Select(s => s.PlayerId).ToList();
        double MeanView(int cellsPerRadius) => new InterestGrid(100, 1000, 1000, cellsPerRadius).ViewsOf(viewers, sector.Ships).Sum(g => (double)g.Ships.Count * g.Viewers.Count) / viewers.Count;
        var block = MeanView(1);
        var finer = MeanView(4);

        // 9 radius² against about 4.8 radius² (a uniform crowd of 2 ships per 1,000 units²: 180 and 96).
        Assert.InRange(block, 160, 200);
        Assert.InRange(finer / block, 0.45, 0.6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Applying_each_tick_s_view_changes_keeps_every_viewer_s_ships_equal_to_its_view(int cellsPerRadius)
    {
        // Fast ships (100 units a tick: four cells of 25) cross many cells a tick, joining and leaving as they go.
        var sector = new SectorState("s-1-1", Rules);
        var grid = new InterestGrid(100, Rules.Width, Rules.Height, cellsPerRadius);
        var random = new Random(cellsPerRadius * 31);
        var known = new Dictionary<string, HashSet<string>>();
        var next = 0;
        void Join()
        {
            var id = "p" + next++;
            sector.Enter(id, id, new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000));
            known[id] = grid.ViewOf(id, sector.Ships).Select(s => s.PlayerId).ToHashSet();
        }

        for (var i = 0; i < 150; i++)
        {
            Join();
        }

        for (var t = 1; t <= 40; t++)
        {
            foreach (var ship in sector.Ships.Where(_ => random.Next(4) == 0).ToList())
            {
                sector.MoveTo(ship.PlayerId, (uint)t, random.NextSingle() * 1000, random.NextSingle() * 1000);
            }

            foreach (var gone in known.Keys.Where(_ => random.Next(40) == 0).ToList())
            {
                Assert.True(sector.Remove(gone));
                grid.Forget(gone);
                known.Remove(gone);
            }

            var tick = sector.Advance(t * 50);
            var changed = tick.ChangedShips.Select(s => s.PlayerId).ToHashSet();
            var changes = grid.Advance(sector.Ships, tick, known.Keys.ToList());
            Assert.Equal(known.Keys.Order(), changes.SelectMany(c => c.Viewers).Order());
            var truth = new InterestGrid(100, Rules.Width, Rules.Height, cellsPerRadius);
            foreach (var change in changes)
            {
                foreach (var viewer in change.Viewers)
                {
                    var ships = known[viewer];
                    Assert.All(change.Entering, s => Assert.DoesNotContain(s.PlayerId, ships));
                    // A ship that arrived since the viewer's snapshot is among the tick's changes (sent whole all the same).
                    Assert.All(change.Changed, s => Assert.Contains(s.PlayerId, changed));
                    // (Leaving may name a ship that arrived and left again between two of the viewer's
                    // deltas: removing an id it never had changes nothing for a client.)
                    ships.UnionWith(change.Entering.Concat(change.Changed).Select(s => s.PlayerId));
                    ships.ExceptWith(change.Leaving);
                    Assert.Equal(truth.ViewOf(viewer, sector.Ships).Select(s => s.PlayerId).Order(), ships.Order());
                }
            }

            // Newcomers start from a snapshot of their view, as a sector's join does.
            if (t % 10 == 0)
            {
                Join();
            }
        }
    }

    [Fact]
    public void A_snapshot_holds_the_viewers_own_ship_and_those_near_it_only()
    {
        var (sector, grid) = NewSector();
        sector.Enter("ann", "Ann", new Vector2(100, 100));
        sector.Enter("near", "Near", new Vector2(180, 150));
        sector.Enter("far", "Far", new Vector2(800, 800));

        var view = grid.ViewOf("ann", sector.Ships).Select(s => s.PlayerId).Order().ToList();
        Assert.Equal(["ann", "near"], view);
        var snapshot = Decode(SectorFrames.Snapshot(sector, grid.ViewOf("ann", sector.Ships))).Snapshot;
        Assert.Equal(["ann", "near"], snapshot.Ships.Select(s => s.PlayerId).Order().ToList());
        Assert.Equal(sector.Asteroids.Count, snapshot.Asteroids.Count);
    }

    [Fact]
    public void Views_of_many_viewers_are_grouped_by_cell_and_equal_each_ones_own_view()
    {
        var (sector, grid) = NewSector();
        var random = new Random(11);
        for (var i = 0; i < 300; i++)
        {
            sector.Enter("p" + i, "P" + i, new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000));
        }

        sector.Advance(50);
        var viewers = Enumerable.Range(0, 300).Where(i => i % 3 == 0).Select(i => "p" + i).Append("gone").ToList();
        var groups = grid.ViewsOf(viewers, sector.Ships);

        // Every viewer once; viewers of one group share a cell, and a viewer without a ship sees nothing.
        Assert.Equal(viewers.Order(), groups.SelectMany(g => g.Viewers).Order());
        Assert.True(groups.Count < viewers.Count, $"{groups.Count} groups for {viewers.Count} viewers");
        Assert.Empty(groups.Single(g => g.Viewers.Contains("gone")).Ships);
        var alone = new InterestGrid(100, Rules.Width, Rules.Height);
        foreach (var group in groups.Where(g => !g.Viewers.Contains("gone")))
        {
            foreach (var viewer in group.Viewers)
            {
                Assert.Equal(
                    alone.ViewOf(viewer, sector.Ships).Select(s => s.PlayerId).Order(),
                    group.Ships.Select(s => s.PlayerId).Order());
            }
        }

        // From here the deltas are relative to these views: a tick where nothing moved changes nothing.
        var tick = sector.Advance(100);
        Assert.All(grid.Advance(sector.Ships, tick, viewers), change => Assert.True(change.IsEmpty));
    }

    [Fact]
    public void A_ship_that_flies_into_view_arrives_whole_and_one_that_flies_out_is_removed()
    {
        var (sector, grid) = NewSector();
        sector.Enter("ann", "Ann", new Vector2(100, 100));
        sector.Enter("bob", "Bob", new Vector2(800, 800));
        grid.ViewOf("ann", sector.Ships);
        grid.ViewOf("bob", sector.Ships);

        // Bob flies to Ann (2000 units a second: 100 a tick). Ann hears nothing of him until he is near.
        sector.MoveTo("bob", 1, 120, 120);
        var arrivedAt = -1;
        for (var t = 1; t <= 20; t++)
        {
            var change = ChangeFor("ann", Tick(sector, grid, t));
            var bob = change?.Entering.SingleOrDefault(s => s.PlayerId == "bob");
            if (bob is not null)
            {
                arrivedAt = t;
                Assert.InRange(bob.Position.X, 0, 299.99f);
                Assert.InRange(bob.Position.Y, 0, 299.99f);
                break;
            }

            Assert.DoesNotContain(change?.Changed ?? [], s => s.PlayerId == "bob");
        }

        Assert.True(arrivedAt > 1, "Bob should come into view after a few ticks, not at once");

        // Near her, his moves are changes (not arrivals) until he leaves her view.
        var next = ChangeFor("ann", Tick(sector, grid, arrivedAt + 1))!;
        Assert.Contains(next.Changed, s => s.PlayerId == "bob");
        Assert.DoesNotContain(next.Entering, s => s.PlayerId == "bob");

        sector.MoveTo("bob", 2, 900, 120);
        var removed = false;
        for (var t = arrivedAt + 2; t <= arrivedAt + 30 && !removed; t++)
        {
            removed = ChangeFor("ann", Tick(sector, grid, t))?.Leaving.Contains("bob") == true;
        }

        Assert.True(removed, "Bob should leave Ann's view as he flies away");
    }

    [Fact]
    public void Viewers_who_stay_in_one_cell_share_one_frame_and_a_ship_that_leaves_the_sector_is_removed_for_those_who_saw_it()
    {
        var (sector, grid) = NewSector();
        sector.Enter("ann", "Ann", new Vector2(110, 110));
        sector.Enter("amy", "Amy", new Vector2(150, 150));
        sector.Enter("zed", "Zed", new Vector2(900, 900));
        sector.Enter("mover", "Mover", new Vector2(200, 200));
        foreach (var viewer in new[] { "ann", "amy", "zed" })
        {
            grid.ViewOf(viewer, sector.Ships);
        }

        Tick(sector, grid, 0); // the arrivals

        sector.MoveTo("mover", 1, 210, 200);
        var changes = Tick(sector, grid, 1);
        var shared = Assert.Single(changes, c => c.Viewers.Contains("ann"));
        Assert.Equal(["amy", "ann"], shared.Viewers.Order().ToList());
        Assert.Contains(shared.Changed, s => s.PlayerId == "mover");
        Assert.True(changes.Single(c => c.Viewers.Contains("zed")).IsEmpty);

        Assert.True(sector.Remove("mover"));
        changes = Tick(sector, grid, 2);
        Assert.Equal(["mover"], changes.Single(c => c.Viewers.Contains("ann")).Leaving);
        Assert.Empty(changes.Single(c => c.Viewers.Contains("zed")).Leaving);
    }

    [Fact]
    public void A_delta_built_from_encoded_ships_is_byte_for_byte_the_encoded_delta()
    {
        // One cell over the whole sector: everyone sees everything, as without interest management.
        var (sector, grid) = NewSector(radius: 5000);
        sector.Enter("ann", "Ann", new Vector2(100, 100));
        sector.Enter("bob", "Bob", new Vector2(800, 800));
        var asteroid = sector.Asteroids.First();
        sector.Enter("miner", "Miner", asteroid.Position);
        foreach (var viewer in new[] { "ann", "bob", "miner" })
        {
            grid.ViewOf(viewer, sector.Ships);
        }

        sector.Advance(0); // the arrivals
        sector.MoveTo("ann", 1, 300, 100);
        sector.MoveTo("bob", 2, 700, 800);
        Assert.True(sector.Mine("miner", asteroid.Id, 1).Ok);
        sector.Remove("miner");
        sector.Dilate(0.5, 2);

        var tick = sector.Advance(50);
        var changes = grid.Advance(sector.Ships, tick, ["ann", "bob"]);
        var frame = Assert.Single(InterestFrames.Deltas(sector.Id, tick, changes));
        Assert.Equal(["ann", "bob"], frame.Viewers.Order().ToList());
        Assert.Equal(SectorFrames.Delta(sector.Id, tick), Assert.Single(frame.Frames));

        var delta = Decode(frame.Frames[0]).Delta;
        Assert.Equal(["ann", "bob"], delta.Ships.Select(s => s.PlayerId).ToList());
        Assert.Equal(["miner"], delta.RemovedShips);
        Assert.Single(delta.Asteroids);
        Assert.Equal(0.5f, delta.TimeDilation);
    }

    [Fact]
    public void Viewers_with_nothing_new_get_no_frame()
    {
        var (sector, grid) = NewSector();
        sector.Enter("ann", "Ann", new Vector2(100, 100));
        sector.Enter("zed", "Zed", new Vector2(900, 900));
        grid.ViewOf("ann", sector.Ships);
        grid.ViewOf("zed", sector.Ships);
        sector.Advance(0);

        sector.MoveTo("ann", 1, 120, 100);
        var tick = sector.Advance(50);
        var frames = InterestFrames.Deltas(sector.Id, tick, grid.Advance(sector.Ships, tick, ["ann", "zed"]));
        var only = Assert.Single(frames);
        Assert.Equal(["ann"], only.Viewers);
    }

    private static IReadOnlyList<ViewChange> Tick(SectorState sector, InterestGrid grid, int t)
    {
        var tick = sector.Advance(t * 50);
        return grid.Advance(sector.Ships, tick, sector.Ships.Select(s => s.PlayerId).ToList());
    }

    private static ViewChange? ChangeFor(string viewer, IReadOnlyList<ViewChange> changes) => changes.SingleOrDefault(c => c.Viewers.Contains(viewer));

    private static ServerMessage Decode(byte[] frame) => ServerMessage.Parser.ParseFrom(frame.AsSpan(Frame.HeaderBytes));
}
