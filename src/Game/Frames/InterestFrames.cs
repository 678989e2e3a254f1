using System.Buffers.Binary;
using Akkagame.V1;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;

namespace AkkaGame.Game.Frames;

/// <summary>
/// A group's delta and the players it is for: one frame, or several of the same tick when one
/// would pass max-frame-bytes (<see cref="FrameFit"/>).
/// </summary>
public sealed record ViewerFrame(IReadOnlyList<byte[]> Frames, IReadOnlyList<string> Viewers);

/// <summary>
/// The deltas of one tick under interest management, encoded once: each ship that any group of
/// viewers must receive is encoded once per tick, the changed asteroids once, and each group's
/// <see cref="SectorDelta"/> is written by concatenating those encoded pieces (a protobuf
/// repeated field is the concatenation of its encoded elements), not by encoding per player.
/// A group's delta that would pass <c>maxFrameBytes</c> is cut into several deltas of the same
/// tick while it is written, the pieces in the same order (as <see cref="FrameFit"/> cuts others),
/// so a crowd's deltas are never decoded again to be split.
/// </summary>
public static class InterestFrames
{
    // ServerMessage { delta = 12 }: one tag byte and at most five of length.
    private const int EnvelopeBytes = 6;

    public static IReadOnlyList<ViewerFrame> Deltas(string sectorId, TickResult tick, IReadOnlyList<ViewChange> changes, int maxFrameBytes = Frame.DefaultMaxFrameBytes)
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

            frames.Add(new ViewerFrame(Encode(sectorId, tick, change, asteroids, ships, maxFrameBytes - EnvelopeBytes), change.Viewers));
        }

        return frames;
    }

    private static List<byte[]> Encode(string sectorId, TickResult tick, ViewChange change, List<ByteString> asteroids, Dictionary<string, ByteString> ships, int budget)
    {
        // Every piece of a tick's delta starts with sector_id and tick and ends with time_dilation.
        var headerSize = 1 + CodedOutputStream.ComputeStringSize(sectorId) + (tick.Tick != 0 ? 1 + CodedOutputStream.ComputeUInt64Size(tick.Tick) : 0);
        var trailerSize = tick.TimeDilation is null ? 0 : 1 + 4;
        var frames = new List<byte[]>(1);
        using var body = new MemoryStream();
        var output = Begin(body, sectorId, tick);
        var size = headerSize + trailerSize;
        var empty = true;

        // Each piece goes into the current delta, or starts the next one when it would not fit.
        void Add(int field, ByteString piece)
        {
            var pieceSize = 1 + CodedOutputStream.ComputeLengthSize(piece.Length) + piece.Length;
            if (!empty && size + pieceSize > budget)
            {
                frames.Add(End(output, body, tick));
                body.SetLength(0);
                output = Begin(body, sectorId, tick);
                size = headerSize + trailerSize;
            }

            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(piece);
            size += pieceSize;
            empty = false;
        }

        foreach (var ship in change.Entering.Concat(change.Changed))
        {
            if (!ships.TryGetValue(ship.PlayerId, out var encoded))
            {
                ships[ship.PlayerId] = encoded = SectorFrames.ToProto(ship).ToByteString();
            }

            Add(SectorDelta.ShipsFieldNumber, encoded);
        }

        foreach (var id in change.Leaving)
        {
            Add(SectorDelta.RemovedShipsFieldNumber, ByteString.CopyFromUtf8(id));
        }

        foreach (var asteroid in asteroids)
        {
            Add(SectorDelta.AsteroidsFieldNumber, asteroid);
        }

        frames.Add(End(output, body, tick));
        return frames;
    }

    /// <summary>A delta's first fields: sector_id and tick.</summary>
    private static CodedOutputStream Begin(MemoryStream body, string sectorId, TickResult tick)
    {
        var output = new CodedOutputStream(body, leaveOpen: true);
        output.WriteTag(SectorDelta.SectorIdFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteString(sectorId);
        if (tick.Tick != 0)
        {
            output.WriteTag(SectorDelta.TickFieldNumber, WireFormat.WireType.Varint);
            output.WriteUInt64(tick.Tick);
        }

        return output;
    }

    /// <summary>A delta's last field (time_dilation, when dilated), then its frame.</summary>
    private static byte[] End(CodedOutputStream output, MemoryStream body, TickResult tick)
    {
        if (tick.TimeDilation is { } dilation)
        {
            output.WriteTag(SectorDelta.TimeDilationFieldNumber, WireFormat.WireType.Fixed32);
            output.WriteFloat(dilation);
        }

        output.Flush();
        return Envelope(body);
    }

    /// <summary>The frame of a <see cref="SectorDelta"/> body: the frame header, then ServerMessage { delta = 12 }.</summary>
    private static byte[] Envelope(MemoryStream body)
    {
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
