using Akkagame.V1;
using AkkaGame.Bots.Bench;
using Google.Protobuf;
using Xunit;

namespace AkkaGame.Bench.Tests;

/// <summary>
/// The load generator reads crowd deltas by a scan instead of a full decode; it must find what a
/// full decode finds (the own ship, the sector, the dilation, the ship count), and decline what it
/// cannot read so that the client decodes it normally.
/// </summary>
public sealed class DeltaScanTests
{
    private static readonly byte[] Sector = DeltaScan.Utf8("s-3-4");

    [Fact]
    public void Finds_the_own_ship_the_sector_and_the_dilation_as_a_full_decode_does()
    {
        var random = new Random(15);
        for (var round = 0; round < 300; round++)
        {
            var delta = new SectorDelta { SectorId = round % 7 == 0 ? "s-0-0" : "s-3-4", Tick = (ulong)random.Next() };
            var count = random.Next(0, 300);
            for (var i = 0; i < count; i++)
            {
                delta.Ships.Add(RandomShip(random, $"p-{random.Next(0, 1000)}-é{i}"));
            }

            delta.RemovedShips.Add($"p-gone-{round}");
            delta.Asteroids.Add(new Asteroid { Id = "a-1", X = 3, Y = 4, Ore = 70 });
            if (round % 3 == 0)
            {
                delta.TimeDilation = (float)Math.Round(0.1 + (random.NextDouble() * 0.9), 2);
            }

            var own = count > 0 && round % 5 != 0 ? delta.Ships[random.Next(count)].PlayerId : "p-absent";
            var frame = new ServerMessage { Ack = (uint)round, Delta = delta }.ToByteArray();

            Assert.True(DeltaScan.TryRead(frame, Sector, DeltaScan.Utf8(own), out var scan));
            var decoded = ServerMessage.Parser.ParseFrom(frame).Delta;
            Assert.Equal(decoded.SectorId == "s-3-4", scan.SectorMatches);
            Assert.Equal(decoded.Ships.Count, scan.Ships);
            Assert.Equal(decoded.TimeDilation, scan.TimeDilation);
            Assert.Equal(decoded.Ships.FirstOrDefault(s => s.PlayerId == own), scan.OwnShip);
        }
    }

    [Fact]
    public void Declines_frames_that_are_not_deltas()
    {
        var pong = new ServerMessage { Ack = 9, Pong = new Pong { ClientTimeUs = 1, ServerTimeUs = 2 } }.ToByteArray();
        var snapshot = new ServerMessage { Snapshot = new SectorSnapshot { SectorId = "s-3-4", Ships = { RandomShip(new Random(1), "p-1") } } }.ToByteArray();
        var welcome = new ServerMessage { Welcome = new Welcome { PlayerId = "p-1", SectorId = "s-3-4" } }.ToByteArray();

        Assert.False(DeltaScan.TryRead(pong, Sector, DeltaScan.Utf8("p-1"), out _));
        Assert.False(DeltaScan.TryRead(snapshot, Sector, DeltaScan.Utf8("p-1"), out _));
        Assert.False(DeltaScan.TryRead(welcome, Sector, DeltaScan.Utf8("p-1"), out _));
    }

    [Fact]
    public void Declines_every_cut_short_delta_instead_of_reading_half_of_it()
    {
        var delta = new SectorDelta { SectorId = "s-3-4", Tick = 77, TimeDilation = 0.5f };
        for (var i = 0; i < 20; i++)
        {
            delta.Ships.Add(RandomShip(new Random(i), $"p-{i}"));
        }

        var frame = new ServerMessage { Delta = delta }.ToByteArray();
        for (var length = 0; length < frame.Length; length++)
        {
            Assert.False(DeltaScan.TryRead(frame.AsSpan(0, length), Sector, DeltaScan.Utf8("p-19"), out _));
        }

        Assert.True(DeltaScan.TryRead(frame, Sector, DeltaScan.Utf8("p-19"), out var whole));
        Assert.Equal(delta.Ships[19], whole.OwnShip);
    }

    private static Ship RandomShip(Random random, string playerId) => new()
    {
        PlayerId = playerId,
        Name = $"pilot {random.Next(100)}",
        X = (float)(random.NextDouble() * 1000),
        Y = (float)(random.NextDouble() * 1000),
        Vx = (float)(random.NextDouble() - 0.5),
        Vy = random.Next(3) == 0 ? 0 : (float)(random.NextDouble() - 0.5),
        Connected = random.Next(4) != 0,
        LastInputSeq = (uint)random.Next(0, 5000),
    };
}
