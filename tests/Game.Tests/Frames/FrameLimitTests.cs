using System.Numerics;
using Akkagame.V1;
using AkkaGame.Game.Frames;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Xunit;

namespace AkkaGame.Game.Tests.Frames;

/// <summary>
/// A crowd's frames stay within max-frame-bytes: a delta or snapshot that would pass it is sent
/// as several frames that a client applying each in turn reads as the one it replaces.
/// </summary>
public class FrameLimitTests
{
    private const int Limit = Frame.DefaultMaxFrameBytes;

    [Fact]
    public void A_delta_within_the_limit_is_one_frame_byte_for_byte_its_protobuf_encoding()
    {
        var sector = Crowd(50);
        var tick = sector.Advance(50);
        Assert.Equal(SectorFrames.Delta(sector.Id, tick), Assert.Single(SectorFrames.Deltas(sector.Id, tick, Limit)));
        Assert.Equal(SectorFrames.Snapshot(sector), Assert.Single(SectorFrames.Snapshots(sector, null, Limit)));
    }

    [Fact]
    public void A_crowds_delta_becomes_deltas_of_the_same_tick_that_together_say_the_same()
    {
        var sector = Crowd(2000);
        sector.Advance(50);
        foreach (var ship in sector.Ships.Take(300).ToList())
        {
            sector.Remove(ship.PlayerId);
        }

        var tick = sector.Advance(100);
        var whole = SectorFrames.Delta(sector.Id, tick);
        Assert.True(whole.Length - Frame.HeaderBytes > Limit, "the test needs a delta over the limit");
        var expected = Decode(whole).Delta;

        var parts = SectorFrames.Deltas(sector.Id, tick, Limit);

        Assert.True(parts.Count >= 2);
        Assert.All(parts, p => Assert.InRange(p.Length - Frame.HeaderBytes, 1, Limit));
        var deltas = parts.Select(p => Decode(p).Delta).ToList();
        Assert.All(deltas, d =>
        {
            Assert.Equal(expected.SectorId, d.SectorId);
            Assert.Equal(expected.Tick, d.Tick);
            Assert.Equal(expected.TimeDilation, d.TimeDilation);
        });
        Assert.Equal(expected.Ships, deltas.SelectMany(d => d.Ships));
        Assert.Equal(expected.RemovedShips, deltas.SelectMany(d => d.RemovedShips));
        Assert.Equal(expected.Asteroids, deltas.SelectMany(d => d.Asteroids));
        Assert.Equal(300, expected.RemovedShips.Count);
    }

    [Fact]
    public void A_crowds_snapshot_becomes_a_snapshot_then_deltas_of_its_tick_with_the_other_ships()
    {
        var sector = Crowd(2000);
        sector.Advance(50);
        sector.AppendChat("ann-0", "Ann", new string('x', 200), 0);
        var whole = SectorFrames.Snapshot(sector);
        Assert.True(whole.Length - Frame.HeaderBytes > Limit, "the test needs a snapshot over the limit");
        var expected = Decode(whole).Snapshot;

        var parts = SectorFrames.Snapshots(sector, null, Limit);

        Assert.All(parts, p => Assert.InRange(p.Length - Frame.HeaderBytes, 1, Limit));
        var head = Decode(parts[0]).Snapshot;
        Assert.NotNull(head);
        Assert.Equal(expected.Asteroids, head.Asteroids);
        Assert.Equal(expected.Gates, head.Gates);
        Assert.Equal(expected.RecentChat, head.RecentChat);
        Assert.Equal((expected.Width, expected.Height, expected.Tick, expected.TimeDilation), (head.Width, head.Height, head.Tick, head.TimeDilation));
        var rest = parts.Skip(1).Select(p => Decode(p).Delta).ToList();
        Assert.NotEmpty(rest);
        Assert.All(rest, d => Assert.Equal((expected.SectorId, expected.Tick), (d.SectorId, d.Tick)));
        Assert.Equal(expected.Ships, head.Ships.Concat(rest.SelectMany(d => d.Ships)));
    }

    [Fact]
    public void A_dilated_crowds_pieces_all_carry_the_dilation()
    {
        var sector = Crowd(2000);
        sector.Dilate(0.4, 0);
        var parts = SectorFrames.Deltas(sector.Id, sector.Advance(50), Limit);
        Assert.True(parts.Count >= 2);
        Assert.All(parts, p => Assert.Equal(0.4f, Decode(p).Delta.TimeDilation));

        var snapshot = SectorFrames.Snapshots(sector, null, Limit);
        Assert.Equal(0.4f, Decode(snapshot[0]).Snapshot.TimeDilation);
        Assert.All(snapshot.Skip(1), p => Assert.Equal(0.4f, Decode(p).Delta.TimeDilation));
    }

    [Fact]
    public void An_interest_views_delta_too_big_for_a_frame_is_cut_while_written_into_deltas_that_together_equal_the_whole()
    {
        var sector = Crowd(2000);
        var grid = new InterestGrid(5000, sector.Rules.Width, sector.Rules.Height);
        grid.ViewOf("ann-0", sector.Ships);
        sector.Dilate(0.5, 0);
        var tick = sector.Advance(50);
        var whole = Decode(SectorFrames.Delta(sector.Id, tick)).Delta;

        var group = Assert.Single(InterestFrames.Deltas(sector.Id, tick, grid.Advance(sector.Ships, tick, ["ann-0"]), Limit));

        Assert.True(group.Frames.Count >= 2);
        Assert.All(group.Frames, f => Assert.InRange(f.Length - Frame.HeaderBytes, 1, Limit));
        var deltas = group.Frames.Select(f => Decode(f).Delta).ToList();
        Assert.All(deltas, d => Assert.Equal((whole.SectorId, whole.Tick, 0.5f), (d.SectorId, d.Tick, d.TimeDilation)));
        Assert.Equal(whole.Ships.OrderBy(s => s.PlayerId, StringComparer.Ordinal), deltas.SelectMany(d => d.Ships).OrderBy(s => s.PlayerId, StringComparer.Ordinal));
        Assert.Equal(whole.Asteroids, deltas.SelectMany(d => d.Asteroids));
    }

    /// <summary>A sector with <paramref name="ships"/> ships, all flying somewhere (so every tick changes them all).</summary>
    private static SectorState Crowd(int ships)
    {
        var sector = new SectorState("s-2-3", WorldRules.Default);
        var random = new Random(ships);
        for (var i = 0; i < ships; i++)
        {
            var id = $"ann-{i}";
            sector.Enter(id, $"Pilot number {i}", new Vector2(random.NextSingle() * 1000, random.NextSingle() * 1000));
            sector.MoveTo(id, (uint)i + 1, random.NextSingle() * 1000, random.NextSingle() * 1000);
        }

        return sector;
    }

    private static ServerMessage Decode(byte[] frame) => ServerMessage.Parser.ParseFrom(frame.AsSpan(Frame.HeaderBytes));
}
