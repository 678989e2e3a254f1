using System.Buffers.Binary;
using Akkagame.V1;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;

namespace AkkaGame.Game.Frames;

/// <summary>A delta frame and the players it is for.</summary>
public sealed record ViewerFrame(byte[] Frame, IReadOnlyList<string> Viewers);

/// <summary>
/// The deltas of one tick under interest management, encoded once: each ship that any group of
/// viewers must receive is encoded once per tick, the changed asteroids once, and each group's
/// <see cref="SectorDelta"/> is written by concatenating those encoded pieces (a protobuf
/// repeated field is the concatenation of its encoded elements), not by encoding per player.
/// </summary>
public static class InterestFrames
{
    public static IReadOnlyList<ViewerFrame> Deltas(string sectorId, TickResult tick, IReadOnlyList<ViewChange> changes)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(changes);
        var ships = new Dictionary<string, ByteString>(StringComparer.Ordinal);
        var asteroids = tick.ChangedAsteroids.Select(a => SectorFrames.ToProto(a).ToByteString()).ToList();
        var frames = new List<ViewerFrame>(changes.Count);
        foreach (var change in changes)
        {
            // Nothing for this group: no frame, as a whole-sector delta is not sent after an empty tick.
            if (change.IsEmpty && asteroids.Count == 0 && tick.TimeDilation is null)
            {
                continue;
            }

            frames.Add(new ViewerFrame(Encode(sectorId, tick, change, asteroids, ships), change.Viewers));
        }

        return frames;
    }

    private static byte[] Encode(string sectorId, TickResult tick, ViewChange change, List<ByteString> asteroids, Dictionary<string, ByteString> ships)
    {
        using var body = new MemoryStream();
        var output = new CodedOutputStream(body, leaveOpen: true);
        output.WriteTag(SectorDelta.SectorIdFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteString(sectorId);
        if (tick.Tick != 0)
        {
            output.WriteTag(SectorDelta.TickFieldNumber, WireFormat.WireType.Varint);
            output.WriteUInt64(tick.Tick);
        }

        foreach (var ship in change.Entering.Concat(change.Changed))
        {
            if (!ships.TryGetValue(ship.PlayerId, out var encoded))
            {
                ships[ship.PlayerId] = encoded = SectorFrames.ToProto(ship).ToByteString();
            }

            output.WriteTag(SectorDelta.ShipsFieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(encoded);
        }

        foreach (var id in change.Leaving)
        {
            output.WriteTag(SectorDelta.RemovedShipsFieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteString(id);
        }

        foreach (var asteroid in asteroids)
        {
            output.WriteTag(SectorDelta.AsteroidsFieldNumber, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(asteroid);
        }

        if (tick.TimeDilation is { } dilation)
        {
            output.WriteTag(SectorDelta.TimeDilationFieldNumber, WireFormat.WireType.Fixed32);
            output.WriteFloat(dilation);
        }

        output.Flush();

        // ServerMessage { delta = 12 }: its tag, the delta's length, the delta; after the frame header.
        var length = (int)body.Length;
        var message = 1 + CodedOutputStream.ComputeLengthSize(length) + length;
        var frame = new byte[Frame.HeaderBytes + message];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)message);
        var span = frame.AsSpan(Frame.HeaderBytes);

        // The tag of field 12 (length-delimited) is one byte: 12 << 3 | 2 = 98.
        span[0] = (byte)((ServerMessage.DeltaFieldNumber << 3) | (int)WireFormat.WireType.LengthDelimited);
        var written = WriteVarint(span[1..], (uint)length);
        body.GetBuffer().AsSpan(0, length).CopyTo(span[(1 + written)..]);
        return frame;
    }

    private static int WriteVarint(Span<byte> target, uint value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            target[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        target[i++] = (byte)value;
        return i;
    }
}
