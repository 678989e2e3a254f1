using Akkagame.V1;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;

namespace AkkaGame.Game.Frames;

/// <summary>
/// Keeps a sector's frames within the protocol's <c>max-frame-bytes</c> (PROTOCOL.md: every
/// frame is at most that long). A crowd makes deltas and snapshots that would pass it (2,000
/// moving ships in one view are about 110 KB a tick), and a client may refuse a frame over the
/// limit (ours, <c>GameClient</c>, drops the connection). So a frame that does not fit is sent as several that do, each a message today's clients
/// already apply: a delta as several <see cref="SectorDelta"/>s of the same tick, splitting its
/// ships, removed ids and asteroids between them; a snapshot as a snapshot with as many ships as
/// fit, then deltas of the same tick with the rest. Frames that fit, the everyday case, pass
/// through untouched: the only cost is comparing a length.
/// </summary>
public static class FrameFit
{
    // ServerMessage { delta or snapshot = field 12 or 11 }: one tag byte and at most five of length.
    private const int EnvelopeBytes = 6;

    /// <summary>
    /// <paramref name="frame"/> (header included) as frames whose bodies are at most
    /// <paramref name="maxFrameBytes"/>: itself when it fits, or when it is neither a delta nor a
    /// snapshot, or when one indivisible part is already too large (nothing smaller would say it).
    /// </summary>
    public static IReadOnlyList<byte[]> Split(byte[] frame, int maxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Length - Frame.HeaderBytes <= maxFrameBytes)
        {
            return [frame];
        }

        var message = ServerMessage.Parser.ParseFrom(frame.AsSpan(Frame.HeaderBytes));
        var budget = maxFrameBytes - EnvelopeBytes;
        return message.BodyCase switch
        {
            ServerMessage.BodyOneofCase.Delta => SplitDelta(message.Delta, budget),
            ServerMessage.BodyOneofCase.Snapshot => SplitSnapshot(message.Snapshot, budget),
            _ => [frame],
        };
    }

    private static List<byte[]> SplitSnapshot(SectorSnapshot whole, int budget)
    {
        var head = whole.Clone();
        head.Ships.Clear();
        var size = head.CalculateSize();
        var rest = new SectorDelta
        {
            SectorId = whole.SectorId,
            Tick = whole.Tick,
            TimeDilation = whole.TimeDilation is > 0 and < 1 ? whole.TimeDilation : 0,
        };
        foreach (var ship in whole.Ships)
        {
            var shipSize = 1 + CodedOutputStream.ComputeMessageSize(ship);
            if (rest.Ships.Count == 0 && size + shipSize <= budget)
            {
                head.Ships.Add(ship);
                size += shipSize;
            }
            else
            {
                rest.Ships.Add(ship);
            }
        }

        var frames = new List<byte[]> { Frame.Encode(new ServerMessage { Snapshot = head }) };
        if (rest.Ships.Count > 0)
        {
            frames.AddRange(SplitDelta(rest, budget));
        }

        return frames;
    }

    private static List<byte[]> SplitDelta(SectorDelta whole, int budget)
    {
        var frames = new List<byte[]>();
        var current = Header(whole);
        var headerSize = current.CalculateSize();
        var size = headerSize;

        // Starts another delta when the part would not fit in this one (and this one holds something).
        void Make(int partSize)
        {
            if (size + partSize > budget && size > headerSize)
            {
                frames.Add(Frame.Encode(new ServerMessage { Delta = current }));
                current = Header(whole);
                size = headerSize;
            }

            size += partSize;
        }

        foreach (var ship in whole.Ships)
        {
            Make(1 + CodedOutputStream.ComputeMessageSize(ship));
            current.Ships.Add(ship);
        }

        foreach (var id in whole.RemovedShips)
        {
            Make(1 + CodedOutputStream.ComputeStringSize(id));
            current.RemovedShips.Add(id);
        }

        foreach (var asteroid in whole.Asteroids)
        {
            Make(1 + CodedOutputStream.ComputeMessageSize(asteroid));
            current.Asteroids.Add(asteroid);
        }

        frames.Add(Frame.Encode(new ServerMessage { Delta = current }));
        return frames;
    }

    private static SectorDelta Header(SectorDelta whole) => new()
    {
        SectorId = whole.SectorId,
        Tick = whole.Tick,
        TimeDilation = whole.TimeDilation,
    };
}
