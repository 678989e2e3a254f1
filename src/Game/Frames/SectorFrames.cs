using Akkagame.V1;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;

namespace AkkaGame.Game.Frames;

/// <summary>Turns sector state into protocol frames. Each frame is encoded once and shared by every recipient.</summary>
public static class SectorFrames
{
    /// <summary>The sector's snapshot; with <paramref name="ships"/>, only those (a player's view under interest management).</summary>
    /// <summary>As one frame, whatever its size; the node sends <see cref="Snapshots"/>.</summary>
    public static byte[] Snapshot(SectorState state, IEnumerable<Simulation.Ship>? ships = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var snapshot = SnapshotWithoutShips(state);
        snapshot.Ships.AddRange((ships ?? state.Ships).Select(ToProto));
        return Frame.Encode(new ServerMessage { Snapshot = snapshot });
    }

    /// <summary>
    /// A player's snapshot as frames within <paramref name="maxFrameBytes"/>: one, or when a crowd
    /// would pass the limit, a snapshot with as many ships as fit (and all asteroids, gates and
    /// recent chat), then deltas of the snapshot's tick with the other ships (<see cref="DeltaWriter"/>).
    /// </summary>
    public static IReadOnlyList<byte[]> Snapshots(SectorState state, IEnumerable<Simulation.Ship>? ships, int maxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(state);
        var head = SnapshotWithoutShips(state);
        var size = head.CalculateSize();
        var budget = maxFrameBytes - DeltaWriter.EnvelopeBytes;
        var rest = new List<(int Field, ByteString Piece)>();
        foreach (var ship in (ships ?? state.Ships).Select(ToProto))
        {
            var shipSize = 1 + CodedOutputStream.ComputeMessageSize(ship);
            if (rest.Count == 0 && size + shipSize <= budget)
            {
                head.Ships.Add(ship);
                size += shipSize;
            }
            else
            {
                rest.Add((SectorDelta.ShipsFieldNumber, ship.ToByteString()));
            }
        }

        var frames = new List<byte[]> { Frame.Encode(new ServerMessage { Snapshot = head }) };
        if (rest.Count > 0)
        {
            var dilation = state.TimeDilation < 1 ? state.TimeDilation : (float?)null;
            frames.AddRange(DeltaWriter.Write(state.Id, state.Tick, dilation, rest, maxFrameBytes));
        }

        return frames;
    }

    /// <summary>
    /// The tick's whole-sector delta as frames within <paramref name="maxFrameBytes"/> (<see cref="DeltaWriter"/>);
    /// for clients that predict motion (<paramref name="predictsMotion"/>), without the ships
    /// that only moved along their velocity (<see cref="TickResult.IsSteered"/>).
    /// </summary>
    public static IReadOnlyList<byte[]> Deltas(string sectorId, TickResult tick, int maxFrameBytes, bool predictsMotion = false)
    {
        ArgumentNullException.ThrowIfNull(tick);
        var delta = DeltaMessage(sectorId, tick, predictsMotion);
        var frame = Frame.Encode(new ServerMessage { Delta = delta });
        if (frame.Length - Frame.HeaderBytes <= maxFrameBytes)
        {
            // The everyday case: one frame, as before there was a limit to mind.
            return [frame];
        }

        var pieces = delta.Ships.Select(s => (SectorDelta.ShipsFieldNumber, s.ToByteString()))
            .Concat(delta.RemovedShips.Select(id => (SectorDelta.RemovedShipsFieldNumber, ByteString.CopyFromUtf8(id))))
            .Concat(delta.Asteroids.Select(a => (SectorDelta.AsteroidsFieldNumber, a.ToByteString())));
        return DeltaWriter.Write(sectorId, tick, pieces, maxFrameBytes);
    }

    /// <summary>The tick's whole-sector delta as one frame, whatever its size (tests compare the cut frames with it).</summary>
    public static byte[] Delta(string sectorId, TickResult tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        return Frame.Encode(new ServerMessage { Delta = DeltaMessage(sectorId, tick) });
    }

    private static SectorDelta DeltaMessage(string sectorId, TickResult tick, bool predictsMotion = false)
    {
        var delta = new SectorDelta { SectorId = sectorId, Tick = tick.Tick };
        delta.Ships.AddRange((predictsMotion ? tick.ChangedShips.Where(tick.IsSteered) : tick.ChangedShips).Select(ToProto));
        delta.Asteroids.AddRange(tick.ChangedAsteroids.Select(ToProto));
        delta.RemovedShips.AddRange(tick.RemovedShips);
        if (tick.TimeDilation is { } dilation)
        {
            delta.TimeDilation = dilation;
        }

        return delta;
    }

    public static byte[] Chat(ChatEntry entry, string sectorId, uint ack) =>
        Frame.Encode(new ServerMessage { Ack = ack, Chat = ToProto(entry, sectorId) });

    public static ChatLine ToProto(ChatEntry entry, string sectorId)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ChatLine
        {
            Id = entry.Id,
            SectorId = sectorId,
            FromPlayerId = entry.FromPlayerId,
            FromName = entry.FromName,
            Text = entry.Text,
            TimeUs = entry.TimeUs,
        };
    }

    private static SectorSnapshot SnapshotWithoutShips(SectorState state)
    {
        var snapshot = new SectorSnapshot
        {
            SectorId = state.Id,
            Tick = state.Tick,
            Width = state.Rules.Width,
            Height = state.Rules.Height,
            TimeDilation = state.TimeDilation,
        };
        snapshot.Asteroids.AddRange(state.Asteroids.Select(ToProto));
        snapshot.Gates.AddRange(state.Layout.Gates.Select(g => new Gate { Id = g.Id, X = g.Position.X, Y = g.Position.Y, ToSector = g.ToSector }));
        snapshot.RecentChat.AddRange(state.RecentChat.Select(c => ToProto(c, state.Id)));
        return snapshot;
    }

    internal static Akkagame.V1.Ship ToProto(Simulation.Ship ship) => new()
    {
        PlayerId = ship.PlayerId,
        Name = ship.Name,
        X = ship.Position.X,
        Y = ship.Position.Y,
        Vx = ship.Velocity.X,
        Vy = ship.Velocity.Y,
        Connected = ship.Connected,
        LastInputSeq = ship.LastInputSeq,
    };

    internal static Akkagame.V1.Asteroid ToProto(Simulation.Asteroid asteroid) => new()
    {
        Id = asteroid.Id,
        X = asteroid.Position.X,
        Y = asteroid.Position.Y,
        Ore = (uint)asteroid.Ore,
    };
}
