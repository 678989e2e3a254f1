using Akkagame.V1;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;

namespace AkkaGame.Game.Frames;

/// <summary>
/// A group's delta and the players it is for: one frame, or several of the same tick when one
/// would pass max-frame-bytes (<see cref="DeltaWriter"/>).
/// </summary>
public sealed record ViewerFrame(IReadOnlyList<byte[]> Frames, IReadOnlyList<string> Viewers);

/// <summary>
/// The deltas of one tick under interest management, encoded once: each ship that any group of
/// viewers must receive is encoded once per tick, the changed asteroids once, and each group's
/// <see cref="SectorDelta"/> is written by concatenating those encoded pieces (a protobuf
/// repeated field is the concatenation of its encoded elements), not by encoding per player.
/// A group's delta that would pass <c>maxFrameBytes</c> is cut while it is written
/// (<see cref="DeltaWriter"/>, as every delta is).
/// </summary>
public static class InterestFrames
{
    /// <param name="predictsMotion">
    /// Which viewers predict motion (PROTOCOL.md, Motion prediction): a group's viewers that do get
    /// its delta without the ships that only moved along their velocity. Null: none do.
    /// </param>
    public static IReadOnlyList<ViewerFrame> Deltas(string sectorId, TickResult tick, IReadOnlyList<ViewChange> changes, int maxFrameBytes = Frame.DefaultMaxFrameBytes, Func<string, bool>? predictsMotion = null)
    {
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(changes);
        var ships = new Dictionary<Simulation.Ship, ByteString>(ReferenceEqualityComparer.Instance);
        var asteroids = tick.ChangedAsteroids.Select(a => SectorFrames.ToProto(a).ToByteString()).ToList();
        var frames = new List<ViewerFrame>(changes.Count);
        foreach (var change in changes)
        {
            // Nothing for this group: no frame, as a whole-sector delta is not sent after an empty tick.
            if (change.IsEmpty && asteroids.Count == 0 && tick.TimeDilation is null)
            {
                continue;
            }

            // A group that predicts motion still gets a delta when its ships only moved: the tick
            // it names is the clock its ships move by.
            var (predicting, sentEverything) = Split(change.Viewers, predictsMotion);
            if (sentEverything.Count > 0)
            {
                frames.Add(new ViewerFrame(DeltaWriter.Write(sectorId, tick, Pieces(change, change.Changed, asteroids, ships), maxFrameBytes), sentEverything));
            }

            if (predicting.Count > 0)
            {
                var steered = change.Changed.Where(tick.IsSteered);
                frames.Add(new ViewerFrame(DeltaWriter.Write(sectorId, tick, Pieces(change, steered, asteroids, ships), maxFrameBytes), predicting));
            }
        }

        return frames;
    }

    private static (IReadOnlyList<string> Predicting, IReadOnlyList<string> Others) Split(IReadOnlyList<string> viewers, Func<string, bool>? predictsMotion)
    {
        if (predictsMotion is null)
        {
            return ([], viewers);
        }

        var predicting = new List<string>();
        var others = new List<string>();
        foreach (var viewer in viewers)
        {
            (predictsMotion(viewer) ? predicting : others).Add(viewer);
        }

        return (predicting, others);
    }

    /// <summary>What a group learns, as encoded pieces: each ship encoded once for every group that receives it.</summary>
    private static IEnumerable<(int Field, ByteString Piece)> Pieces(ViewChange change, IEnumerable<Simulation.Ship> changed, List<ByteString> asteroids, Dictionary<Simulation.Ship, ByteString> ships)
    {
        foreach (var ship in change.Entering.Concat(changed))
        {
            // The grid hands every group the same Ship objects of this tick: each is encoded once.
            if (!ships.TryGetValue(ship, out var encoded))
            {
                ships[ship] = encoded = SectorFrames.ToProto(ship).ToByteString();
            }

            yield return (SectorDelta.ShipsFieldNumber, encoded);
        }

        foreach (var id in change.Leaving)
        {
            yield return (SectorDelta.RemovedShipsFieldNumber, ByteString.CopyFromUtf8(id));
        }

        foreach (var asteroid in asteroids)
        {
            yield return (SectorDelta.AsteroidsFieldNumber, asteroid);
        }
    }
}
