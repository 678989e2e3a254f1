using System.Buffers.Binary;
using Akkagame.V1;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;

namespace AkkaGame.Game.Frames;

/// <summary>
/// Writes one tick's <see cref="SectorDelta"/> from encoded pieces (ships, removed ids,
/// asteroids; a protobuf repeated field is the concatenation of its encoded elements) and keeps
/// every frame within the protocol's <c>max-frame-bytes</c> (PROTOCOL.md: every frame is at most
/// that long; a client may refuse a longer one, and ours drops the connection). A delta that
/// would pass it (2,000 moving ships in one view are about 110 KB a tick) is cut while it is
/// written into several deltas of the same tick, each with the sector id and the time dilation,
/// the pieces in order: messages every client already applies one after the other. One writer
/// for the whole-sector and the interest deltas, so both cut by the same rule and neither is
/// decoded again to be split.
/// </summary>
internal static class DeltaWriter
{
    /// <summary>ServerMessage { delta or snapshot }: one tag byte and at most five of length.</summary>
    public const int EnvelopeBytes = 6;

    public static List<byte[]> Write(string sectorId, TickResult tick, IEnumerable<(int Field, ByteString Piece)> pieces, int maxFrameBytes) =>
        Write(sectorId, tick.Tick, tick.TimeDilation, pieces, maxFrameBytes);

    /// <param name="timeDilation">Written in every piece when set (PROTOCOL.md: while dilated, and in the first delta back at 1.0).</param>
    public static List<byte[]> Write(string sectorId, ulong tick, float? timeDilation, IEnumerable<(int Field, ByteString Piece)> pieces, int maxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var budget = maxFrameBytes - EnvelopeBytes;

        // Every piece of a tick's delta starts with sector_id and tick and ends with time_dilation.
        var fixedSize = 1 + CodedOutputStream.ComputeStringSize(sectorId)
            + (tick != 0 ? 1 + CodedOutputStream.ComputeUInt64Size(tick) : 0)
            + (timeDilation is null ? 0 : 1 + 4);
        var frames = new List<byte[]>(1);
        using var body = new MemoryStream();
        var output = Begin(body, sectorId, tick);
        var size = fixedSize;
        var empty = true;
        foreach (var (field, piece) in pieces)
        {
            // Each piece goes into the current delta, or starts the next one when it would not fit.
            var pieceSize = 1 + CodedOutputStream.ComputeLengthSize(piece.Length) + piece.Length;
            if (!empty && size + pieceSize > budget)
            {
                frames.Add(End(output, body, timeDilation));
                body.SetLength(0);
                output = Begin(body, sectorId, tick);
                size = fixedSize;
            }

            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(piece);
            size += pieceSize;
            empty = false;
        }

        frames.Add(End(output, body, timeDilation));
        return frames;
    }

    /// <summary>A delta's first fields: sector_id and tick.</summary>
    private static CodedOutputStream Begin(MemoryStream body, string sectorId, ulong tick)
    {
        var output = new CodedOutputStream(body, leaveOpen: true);
        output.WriteTag(SectorDelta.SectorIdFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteString(sectorId);
        if (tick != 0)
        {
            output.WriteTag(SectorDelta.TickFieldNumber, WireFormat.WireType.Varint);
            output.WriteUInt64(tick);
        }

        return output;
    }

    /// <summary>A delta's last field (time_dilation, when set), then its frame.</summary>
    private static byte[] End(CodedOutputStream output, MemoryStream body, float? timeDilation)
    {
        if (timeDilation is { } dilation)
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
