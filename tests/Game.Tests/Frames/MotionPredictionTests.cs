using System.Numerics;
using Akkagame.V1;
using AkkaGame.Game.Frames;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Client;
using AkkaGame.Protocol.Framing;
using Xunit;

namespace AkkaGame.Game.Tests.Frames;

/// <summary>
/// PROTOCOL.md's motion prediction: a client that predicts motion is not sent ships that only
/// flew on, and the rule it follows (<see cref="SectorShips"/>) puts every ship where the server has it.
/// </summary>
public class MotionPredictionTests
{
    private static readonly WorldRules Rules = WorldRules.Default;

    /// <summary>How far a predicted position may be from the server's: float rounding only.</summary>
    private const float Tolerance = 0.01f;

    [Fact]
    public void A_ship_flying_straight_is_steered_when_it_starts_and_when_it_stops_only()
    {
        var sector = new SectorState("s-1-1", Rules);
        var ship = sector.Enter("ann", "Ann", new Vector2(100, 100));
        Assert.True(sector.Advance(50).IsSteered(ship), "a ship that arrives is sent whole");

        sector.MoveTo("ann", 1, 300, 100);
        var now = 100L;
        var steered = new List<bool>();
        while (ship.Position != ship.Target && steered.Count < 100)
        {
            var tick = sector.Advance(now += 50);
            Assert.Contains(ship, tick.ChangedShips);
            steered.Add(tick.IsSteered(ship));
        }

        // 200 units at 5 a tick: it starts (turns from rest), flies on for 38 ticks, and stops.
        Assert.Equal(40, steered.Count);
        Assert.True(steered[0]);
        Assert.All(steered.Skip(1).Take(38), Assert.False);
        Assert.True(steered[^1]);
        Assert.Empty(sector.Advance(now + 50).ChangedShips);
    }

    [Fact]
    public void A_ship_restored_from_a_snapshot_is_sent_when_it_flies_on_toward_its_target()
    {
        var sector = new SectorState("s-1-1", Rules);
        var ship = new AkkaGame.Game.Simulation.Ship { PlayerId = "ann", Name = "Ann", Position = new Vector2(100, 100), Target = new Vector2(300, 100) };
        sector.Restore(ship, 0);

        // Restored at rest (velocity 0, as the snapshot a client got says): its first step is a start.
        Assert.True(sector.Advance(50).IsSteered(ship));
        Assert.False(sector.Advance(100).IsSteered(ship));
    }

    [Fact]
    public void An_input_that_does_not_turn_the_ship_is_still_sent_for_its_last_input_seq()
    {
        var sector = new SectorState("s-1-1", Rules);
        var ship = sector.Enter("ann", "Ann", new Vector2(100, 100));
        sector.MoveTo("ann", 1, 300, 100);
        sector.Advance(50);
        Assert.False(sector.Advance(100).IsSteered(ship));

        sector.MoveTo("ann", 2, 300, 100);
        var tick = sector.Advance(150);
        Assert.True(tick.IsSteered(ship));
        var predicted = Decode(SectorFrames.Deltas("s-1-1", tick, Frame.DefaultMaxFrameBytes, predictsMotion: true).Single()).Delta;
        Assert.Equal(2u, Assert.Single(predicted.Ships).LastInputSeq);
    }

    [Fact]
    public void A_whole_sector_client_that_predicts_motion_knows_every_ship_where_the_server_has_it_from_a_fraction_of_the_bytes()
    {
        var sector = new SectorState("s-2-2", Rules);
        var random = new Random(7);
        for (var i = 0; i < 60; i++)
        {
            sector.Enter("p" + i, "P" + i, new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000));
        }

        sector.Advance(0);
        var predicting = new SectorShips((uint)Rules.TickHz);
        var everything = new SectorShips((uint)Rules.TickHz);
        var snapshot = Decode(SectorFrames.Snapshot(sector)).Snapshot;
        predicting.Apply(snapshot);
        everything.Apply(snapshot);
        long predictedBytes = 0, allBytes = 0;
        var predictedFrames = 0;
        var framesToEveryone = 0;
        for (var t = 1; t <= 400; t++)
        {
            // About one input per ship per second, as in the crowd benchmark; some ships join,
            // leave and lose their connection on the way.
            foreach (var ship in sector.Ships.Where(_ => random.Next(20) == 0).ToList())
            {
                sector.MoveTo(ship.PlayerId, (uint)t, random.NextSingle() * 1000, random.NextSingle() * 1000);
            }

            if (t % 50 == 0)
            {
                sector.Enter("late" + t, "Late", null);
                sector.Remove(sector.Ships.First().PlayerId);
                sector.Disconnect(sector.Ships.Last().PlayerId, t * 50L);
            }

            var tick = sector.Advance(t * 50L);
            if (tick.IsEmpty)
            {
                continue;
            }

            var all = SectorFrames.Deltas(sector.Id, tick, Frame.DefaultMaxFrameBytes);
            var predicted = SectorFrames.Deltas(sector.Id, tick, Frame.DefaultMaxFrameBytes, predictsMotion: true);
            framesToEveryone += all.Count;
            predictedFrames += predicted.Count;
            allBytes += all.Sum(f => f.Length);
            predictedBytes += predicted.Sum(f => f.Length);
            all.ToList().ForEach(f => Assert.True(everything.Apply(Decode(f).Delta)));
            predicted.ToList().ForEach(f => Assert.True(predicting.Apply(Decode(f).Delta)));

            AssertKnowsEveryShipWhereItIs(sector, predicting, sector.Ships);
            AssertKnowsEveryShipWhereItIs(sector, everything, sector.Ships);
        }

        // A delta after every tick in which ships moved, for both; the predicting client's carry
        // the ships that turned, started, stopped or changed, about one in twenty a tick.
        Assert.Equal(framesToEveryone, predictedFrames);
        Assert.True(predictedBytes * 5 < allBytes, $"{predictedBytes} bytes predicted against {allBytes}");
    }

    [Theory]
    [InlineData(2)] // every other player predicts motion: most groups are split
    [InlineData(1)] // every player does: the grid lists only steered ships for them
    public void Under_interest_management_each_group_is_split_and_the_predicting_viewers_know_their_view_where_the_server_has_it(int everyNth)
    {
        var sector = new SectorState("s-3-3", Rules);
        var grid = new InterestGrid(150, Rules.Width, Rules.Height);
        var random = new Random(11);
        var views = new Dictionary<string, SectorShips>(StringComparer.Ordinal);
        for (var i = 0; i < 80; i++)
        {
            sector.Enter("p" + i, "P" + i, new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000));
        }

        foreach (var ship in sector.Ships)
        {
            views[ship.PlayerId] = new SectorShips((uint)Rules.TickHz);
            views[ship.PlayerId].Apply(Decode(SectorFrames.Snapshot(sector, grid.ViewOf(ship.PlayerId, sector.Ships))).Snapshot);
        }

        bool Predicts(string id) => int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % everyNth == 0;
        var emptyPredictedFrames = 0;
        for (var t = 1; t <= 300; t++)
        {
            foreach (var ship in sector.Ships.Where(_ => random.Next(20) == 0).ToList())
            {
                sector.MoveTo(ship.PlayerId, (uint)t, random.NextSingle() * 1000, random.NextSingle() * 1000);
            }

            var tick = sector.Advance(t * 50L);
            var changes = grid.Advance(sector.Ships, tick, views.Keys.ToList(), Predicts);
            var frames = InterestFrames.Deltas(sector.Id, tick, changes, Frame.DefaultMaxFrameBytes, Predicts);
            foreach (var group in frames)
            {
                // A group is split: those that predict motion get their own frame, and only them.
                Assert.True(group.Viewers.All(Predicts) || !group.Viewers.Any(Predicts));
                var deltas = group.Frames.Select(f => Decode(f).Delta).ToList();
                if (group.Viewers.All(Predicts) && deltas.All(d => d.Ships.Count == 0 && d.RemovedShips.Count == 0))
                {
                    emptyPredictedFrames++;
                }

                foreach (var viewer in group.Viewers)
                {
                    deltas.ForEach(d => Assert.True(views[viewer].Apply(d)));
                }
            }

            // Every viewer knows its view: a viewer sent no delta this tick has only ships at rest in it.
            foreach (var (viewer, known) in views)
            {
                var inView = grid.ViewOf(viewer, sector.Ships);
                Assert.Equal(inView.Select(s => s.PlayerId).Order(), known.PlayerIds.Order());

                // A ship in view moved: the viewer heard of this tick, if only its number.
                if (inView.Any(tick.ChangedShips.Contains))
                {
                    Assert.Equal(tick.Tick, known.Tick);
                }

                AssertKnowsEveryShipWhereItIs(sector, known, inView);
            }
        }

        Assert.True(emptyPredictedFrames > 0, "some ticks told the predicting viewers only that the tick passed");
    }

    private static void AssertKnowsEveryShipWhereItIs(SectorState sector, SectorShips known, IEnumerable<AkkaGame.Game.Simulation.Ship> ships)
    {
        foreach (var ship in ships)
        {
            var position = known.PositionAt(ship.PlayerId, sector.Tick);
            Assert.True(position is not null, $"{ship.PlayerId} is not known at tick {sector.Tick}");
            var (x, y) = position.Value;
            Assert.True(
                Vector2.Distance(new Vector2(x, y), ship.Position) < Tolerance,
                $"{ship.PlayerId} is at {ship.Position} at tick {sector.Tick}; the client works out ({x}, {y})");
        }
    }

    private static ServerMessage Decode(byte[] frame) => ServerMessage.Parser.ParseFrom(frame.AsSpan(Frame.HeaderBytes));
}
