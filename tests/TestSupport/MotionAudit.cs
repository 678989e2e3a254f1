using System.Collections.Concurrent;
using Akkagame.V1;
using AkkaGame.Protocol.Client;
using Xunit;

namespace AkkaGame.TestSupport;

/// <summary>
/// An audit of PROTOCOL.md's motion prediction over real connections: everything a client that
/// predicts motion was told, replayed through <see cref="SectorShips"/>, against everything a
/// client of the same sector that is sent every move was told. At each tick both heard, every
/// ship the second was sent must be where the first works it out to be.
/// </summary>
public sealed class MotionAudit
{
    /// <summary>How far apart the two may put a ship: float rounding only.</summary>
    public const float Tolerance = 0.05f;

    private readonly ConcurrentQueue<ServerMessage> _predicting = new();
    private readonly ConcurrentQueue<ServerMessage> _everything = new();

    /// <summary>Records what both clients receive from now on; attach before they connect.</summary>
    public MotionAudit(GameClient predicting, GameClient everything)
    {
        ArgumentNullException.ThrowIfNull(predicting);
        ArgumentNullException.ThrowIfNull(everything);
        predicting.MessageReceived += m => _predicting.Enqueue(m.Clone());
        everything.MessageReceived += m => _everything.Enqueue(m.Clone());
    }

    /// <summary>Ship entries in the deltas of the client that predicts motion, and of the other, from <paramref name="fromTick"/> on.</summary>
    public (int Predicting, int Everything) ShipsSent(string sectorId, ulong fromTick = 0) =>
        (Deltas(_predicting, sectorId).Where(d => d.Tick >= fromTick).Sum(d => d.Ships.Count),
         Deltas(_everything, sectorId).Where(d => d.Tick >= fromTick).Sum(d => d.Ships.Count));

    /// <summary>The latest tick the client that is sent every move has heard of in the sector.</summary>
    public ulong LatestTick(string sectorId) => Deltas(_everything, sectorId).Select(d => d.Tick).DefaultIfEmpty().Max();

    /// <summary>
    /// Replays what the predicting client heard and compares, tick by tick, with what the other
    /// heard; returns how many (tick, ship) positions were compared. Also checks that the
    /// predicting client heard of every tick the other did, while both were in the sector.
    /// </summary>
    /// <param name="fromTick">Compare from this tick on only (earlier, the two clients may not have seen the same ships).</param>
    public int Check(string sectorId, uint tickHz, ulong fromTick = 0)
    {
        var truth = new Dictionary<(ulong Tick, string Id), (float X, float Y)>();
        var everythingTicks = new SortedSet<ulong>();
        // Deltas only: a delta is the sector right after its tick, while a snapshot, taken between
        // ticks, names the last tick and may already hold a ship that arrived after it.
        foreach (var delta in Deltas(_everything, sectorId).Where(d => d.Tick >= fromTick))
        {
            everythingTicks.Add(delta.Tick);
            foreach (var ship in delta.Ships)
            {
                truth[(delta.Tick, ship.PlayerId)] = (ship.X, ship.Y);
            }
        }

        var known = new SectorShips(tickHz);
        var predictingTicks = new SortedSet<ulong>();
        var compared = 0;
        ulong? pending = null;

        // A tick's delta may come in several frames: its positions are compared once all are applied.
        void ComparePending()
        {
            if (pending is not { } tick)
            {
                return;
            }

            foreach (var ((at, id), (x, y)) in truth.Where(t => t.Key.Tick == tick))
            {
                var position = known.PositionAt(id, at);
                Assert.True(position is not null, $"tick {at}: {id} was sent to the other client; the predicting client does not know it");
                var (px, py) = position.Value;
                Assert.True(
                    MathF.Abs(px - x) < Tolerance && MathF.Abs(py - y) < Tolerance,
                    $"tick {at}: {id} is at ({x}, {y}) for the other client; the predicting client works out ({px}, {py})");
                compared++;
            }
        }

        foreach (var message in _predicting)
        {
            if (message.Snapshot is { } snapshot && snapshot.SectorId == sectorId)
            {
                ComparePending();
                known.Apply(snapshot);
                pending = null;
            }
            else if (message.Delta is { } delta && delta.SectorId == sectorId)
            {
                if (delta.Tick != pending)
                {
                    ComparePending();
                }

                Assert.True(known.Apply(delta));
                pending = delta.Tick;
                predictingTicks.Add(delta.Tick);
            }
        }

        ComparePending();

        // Between the first and last tick both heard, every tick the other was sent a delta of
        // reached the predicting client too (a delta with no ships still names its tick).
        var first = Math.Max(everythingTicks.Min, predictingTicks.Min);
        var last = Math.Min(everythingTicks.Max, predictingTicks.Max);
        var missing = everythingTicks.GetViewBetween(first, last).Except(predictingTicks).ToList();
        Assert.True(missing.Count == 0, $"ticks the predicting client was not sent: {string.Join(", ", missing.Take(10))}");
        return compared;
    }

    private static IEnumerable<SectorDelta> Deltas(ConcurrentQueue<ServerMessage> messages, string sectorId) =>
        messages.Where(m => m.Delta?.SectorId == sectorId).Select(m => m.Delta);
}
