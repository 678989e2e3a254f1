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
        var header = new Header(sectorId, tick, timeDilation);
        var frames = new List<byte[]>(1);
        var current = new List<(int Field, ByteString Piece)>();
        var size = header.Size;
        foreach (var (field, piece) in pieces)
        {
            // Each piece goes into the current delta, or starts the next one when it would not fit.
            var pieceSize = CodedOutputStream.ComputeTagSize(field) + CodedOutputStream.ComputeLengthSize(piece.Length) + piece.Length;
            if (current.Count > 0 && size + pieceSize > budget)
            {
                frames.Add(Encode(header, current, size));
                current.Clear();
                size = header.Size;
            }

            current.Add((field, piece));
            size += pieceSize;
        }

        frames.Add(Encode(header, current, size));
        return frames;
    }

    /// <summary>
    /// One delta's frame, written once into an array of its exact length: the frame header,
    /// ServerMessage { delta = 12 }, sector_id and tick, the pieces, then time_dilation.
    /// </summary>
    private static byte[] Encode(Header header, List<(int Field, ByteString Piece)> pieces, int bodySize)
    {
        var message = 1 + CodedOutputStream.ComputeLengthSize(bodySize) + bodySize;
        var frame = new byte[Frame.HeaderBytes + message];
        var output = new CodedOutputStream(frame);

        // The frame header is the message's length, big-endian; fixed32 is written little-endian.
        output.WriteFixed32(BinaryPrimitives.ReverseEndianness((uint)message));
        output.WriteTag(ServerMessage.DeltaFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteLength(bodySize);
        output.WriteTag(SectorDelta.SectorIdFieldNumber, WireFormat.WireType.LengthDelimited);
        output.WriteString(header.SectorId);
        if (header.Tick != 0)
        {
            output.WriteTag(SectorDelta.TickFieldNumber, WireFormat.WireType.Varint);
            output.WriteUInt64(header.Tick);
        }

        foreach (var (field, piece) in pieces)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(piece);
        }

        if (header.TimeDilation is { } dilation)
        {
            output.WriteTag(SectorDelta.TimeDilationFieldNumber, WireFormat.WireType.Fixed32);
            output.WriteFloat(dilation);
        }

        output.CheckNoSpaceLeft();
        return frame;
    }

    /// <summary>The fields every delta of a tick repeats, and their encoded size.</summary>
    private readonly record struct Header(string SectorId, ulong Tick, float? TimeDilation)
    {
        public int Size { get; } = 1 + CodedOutputStream.ComputeStringSize(SectorId)
            + (Tick != 0 ? 1 + CodedOutputStream.ComputeUInt64Size(Tick) : 0)
            + (TimeDilation is null ? 0 : 1 + 4);
    }
}
