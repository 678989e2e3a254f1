using AkkaGame.Game.Configuration;
using Akkagame.V1;
using System.Diagnostics;
using System.Numerics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Persistence.V1;
using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;
using AkkaGame.Game.Frames;

namespace AkkaGame.Node.Sectors;

/// <summary>
/// Hosts one sector's <see cref="SectorState"/>: applies inputs, ticks at tick-hz, writes each
/// delta (encoded once) to its players' connections (<see cref="FrameDelivery"/>: straight to
/// the connections on this node, one relay message per other node), journals chat before broadcasting it,
/// snapshots every snapshot-interval and before it stops.
/// </summary>
public sealed partial class SectorActor : StoredEntityActor, IWithTimers
{
    private readonly SectorSettings _settings;
    private readonly SectorState _state;
    private readonly Dictionary<string, IActorRef> _sessions = new(StringComparer.Ordinal);

    /// <summary>The players here whose clients predict motion (PROTOCOL.md, Motion prediction): their deltas leave out ships that only flew on.</summary>
    private readonly HashSet<string> _predictsMotion = new(StringComparer.Ordinal);
    private readonly TickTimes _tickTimes = new();
    private readonly StallFence _fence = StallFence.Get(Context.System);
    private readonly FrameDelivery _delivery;
    /// <summary>Fewer players than this (connected through the sector's node) never dilate a sector for their connections.</summary>
    private const int MinPlayersBehind = 20;

    private readonly TimeDilation _dilation;
    private (int Behind, int Local) _lastBehind;

    /// <summary>Sessions on other nodes whose relays asked for a fresh snapshot (<see cref="CatchUp"/>): sent at the next tick.</summary>
    private readonly HashSet<IActorRef> _catchUps = [];

    /// <summary>Who sees which ships, when the interest radius is set; null: everyone sees the whole sector.</summary>
    private readonly InterestGrid? _interest;

    /// <summary>Written into every chat event, so an audit can tell two live instances from one that moved.</summary>
    private readonly string _incarnation = Incarnation.New();

    /// <summary>The chat line being stored and who posted it: told of a refused or failed write instead of a ChatLine.</summary>
    private (IActorRef Sender, uint Seq)? _awaitingWrite;
    private bool _changedSinceSnapshot;
    private long _emptySinceMs;

    public SectorActor(string sectorId, WorldRules rules, SectorSettings settings)
    {
        _settings = settings;
        _delivery = new FrameDelivery(Context.System, settings.Conflation);
        _state = new SectorState(sectorId, rules);
        _dilation = new TimeDilation(settings.Dilation);
        _interest = settings.InterestRadius > 0 ? new InterestGrid(settings.InterestRadius, rules.Width, rules.Height, settings.InterestCellsPerRadius) : null;
        PersistenceId = "sector-" + sectorId;
        _emptySinceMs = NowMs;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SectorSnapshotV1 snapshot)
            {
                SectorSnapshots.Restore(_state, snapshot, NowMs);
            }
        });
        Recover<ChatPostedV1>(Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, TimeSpan.FromSeconds(1.0 / rules.TickHz));
            Timers.StartPeriodicTimer(nameof(TakeSnapshot), TakeSnapshot.Instance, settings.SnapshotInterval);
            ReportLoad();
            Log.Debug("Sector {0} recovered: {1} ships, last chat {2}", sectorId, _state.Ships.Count, _state.LastChatId);
        });

        Command<JoinSector>(OnJoin);
        Command<MoveShip>(m => Reject(m.Seq, _state.MoveTo(m.PlayerId, m.Seq, m.X, m.Y), "coordinates must be finite numbers"));
        Command<PostChat>(OnChat);
        Command<MineAsteroid>(OnMine);
        Command<JumpGate>(OnJump);
        Command<LeaveSector>(m =>
        {
            _state.Remove(m.PlayerId);
            Forget(m.PlayerId);
        });
        Command<SessionLost>(m =>
        {
            if (_sessions.TryGetValue(m.PlayerId, out var current) && current.Equals(m.Session))
            {
                _state.Disconnect(m.PlayerId, NowMs);
                Forget(m.PlayerId);
            }
        });
        Command<Terminated>(t =>
        {
            var playerId = _sessions.FirstOrDefault(kv => kv.Value.Equals(t.ActorRef)).Key;
            if (playerId is not null)
            {
                _state.Disconnect(playerId, NowMs);
                _sessions.Remove(playerId);
                _predictsMotion.Remove(playerId);
                _interest?.Forget(playerId);
            }

            _delivery.Forget(t.ActorRef);
        });
        Command<CatchUp>(c => _catchUps.Add(c.Session));
        Command<Tick>(_ => OnTick());
        Command<TakeSnapshot>(_ => OnSnapshotTimer());
        Command<Stop>(_ => OnStop());
        Command<GetSectorInfo>(_ => Sender.Tell(Info()));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => StorageFailed(f.Cause, "snapshot failed; the next interval retries"));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => StorageFailed(f.Cause, "deleting old snapshots failed"));
    }

    public override string PersistenceId { get; }

    protected override string EntityName => "Sector " + _state.Id;

    protected override string EntityKind => "sector";

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string sectorId, WorldRules rules, SectorSettings settings) =>
        Akka.Actor.Props.Create(() => new SectorActor(sectorId, rules, settings));

    private static long NowMs => Environment.TickCount64;

    private void OnJoin(JoinSector join)
    {
        if (!MayAnswer())
        {
            return;
        }

        Vector2? arrival = join.ArrivalX is { } x && join.ArrivalY is { } y ? new Vector2(x, y) : null;
        _state.Enter(join.PlayerId, join.Name, arrival);
        if (_sessions.TryGetValue(join.PlayerId, out var previous) && !previous.Equals(join.Session))
        {
            Context.Unwatch(previous);
            _delivery.Forget(previous);
        }

        _sessions[join.PlayerId] = join.Session;
        if (join.PredictsMotion)
        {
            _predictsMotion.Add(join.PlayerId);
        }
        else
        {
            _predictsMotion.Remove(join.PlayerId);
        }

        Context.Watch(join.Session);
        _changedSinceSnapshot = true;

        // The snapshot goes the way the deltas go, so the client has it before the first delta.
        var view = _interest?.ViewOf(join.PlayerId, _state.Ships);
        _delivery.SendSnapshot(SectorFrames.Snapshots(_state, view, _settings.MaxFrameBytes), join.Session);
        join.Session.Tell(new SectorJoined(_state.Id));
    }

    private void OnMine(MineAsteroid mine)
    {
        if (!MayAnswer())
        {
            return;
        }

        var outcome = _state.Mine(mine.PlayerId, mine.AsteroidId, NowMs);
        if (outcome.Ok)
        {
            _changedSinceSnapshot = true;
            Sender.Tell(new MineApproved(_state.Id, mine.Seq, outcome.Amount));
        }
        else
        {
            Sender.Tell(new InputRejected(mine.Seq, Replies.ToErrorCode(outcome.Rejection), outcome.Reason));
        }
    }

    private void OnJump(JumpGate jump)
    {
        if (!MayAnswer())
        {
            return;
        }

        var outcome = _state.Jump(jump.PlayerId, jump.GateId);
        if (!outcome.Ok)
        {
            Sender.Tell(new InputRejected(jump.Seq, Replies.ToErrorCode(outcome.Rejection), outcome.Reason));
            return;
        }

        Forget(jump.PlayerId);
        _changedSinceSnapshot = true;
        var arrival = SectorLayout.For(outcome.ToSector, _state.Rules).ArrivalFrom(_state.Id, _state.Rules);
        Sender.Tell(new JumpApproved(_state.Id, jump.Seq, outcome.ToSector, arrival.X, arrival.Y));
    }

    private void OnTick()
    {
        if (!MayAnswer())
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var startedCpu = ThreadCpuClock.NowNanoseconds();

        // Behind is what the connections still hold from earlier ticks: counted after this tick's
        // writes, a crowd's fresh deltas (44 KB at 1,000 ships, more than the behind bound) made
        // nearly every connection look behind however fast the node delivered them.
        var behindShare = BehindShare();
        var result = _state.Advance(NowMs);
        if (!result.IsEmpty)
        {
            _changedSinceSnapshot = true;
        }

        if (_sessions.Count > 0)
        {
            SendDeltas(result);
        }

        // The tick's wall time is what operators see (its p99, hot sectors); dilation compares
        // the sector's own work, its thread's CPU time, with the budget (ThreadCpuClock).
        var wallMs = TickEnded(started);
        var workMs = ThreadCpuClock.IsSupported ? ThreadCpuClock.ElapsedMilliseconds(startedCpu) : wallMs;
        Dilate(_dilation.Observe(workMs, 1000.0 / _state.Rules.TickHz, behindShare));
    }

    /// <summary>
    /// The tick's delta: one frame for everyone, or under interest management one frame per
    /// group of players that share a view change, each built from ships encoded once. Players
    /// whose connections were behind and have drained get a fresh snapshot instead
    /// (<see cref="FrameDelivery.SendDelta"/>: conflation).
    /// </summary>
    private void SendDeltas(TickResult result)
    {
        var predictsMotion = _predictsMotion.Count == 0 ? null : (Func<string, bool>)_predictsMotion.Contains;
        var changes = result.IsEmpty ? null : _interest?.Advance(_state.Ships, result, _sessions.Keys, predictsMotion);
        var resynced = Resync();
        if (result.IsEmpty)
        {
            return;
        }

        var skipped = 0;
        if (changes is null)
        {
            // Everyone sees the whole sector: one delta for the clients that predict motion, one for
            // the others, each encoded only when someone is to receive it.
            var (predicting, others) = (new List<IActorRef>(), new List<IActorRef>(_sessions.Count));
            foreach (var (playerId, session) in _sessions)
            {
                if (resynced is null || !resynced.Contains(session))
                {
                    (_predictsMotion.Contains(playerId) ? predicting : others).Add(session);
                }
            }

            if (others.Count > 0)
            {
                skipped += _delivery.SendDelta(SectorFrames.Deltas(_state.Id, result, _settings.MaxFrameBytes), others);
            }

            if (predicting.Count > 0)
            {
                skipped += _delivery.SendDelta(SectorFrames.Deltas(_state.Id, result, _settings.MaxFrameBytes, predictsMotion: true), predicting);
            }
        }
        else
        {
            foreach (var group in InterestFrames.Deltas(_state.Id, result, changes, _settings.MaxFrameBytes, predictsMotion))
            {
                var viewers = group.Viewers.Select(v => _sessions[v]);
                skipped += _delivery.SendDelta(group.Frames, resynced is null ? viewers : viewers.Where(s => !resynced.Contains(s)));
            }
        }

        if (skipped > 0)
        {
            Metrics.DeltasSkipped(skipped);
        }
    }

    /// <summary>
    /// A fresh snapshot of what each player sees, for those whose connections were behind and
    /// have drained, on this node or (<see cref="CatchUp"/>) another; after the tick, so that its
    /// delta is not needed too. Null when none. One snapshot is encoded for all who see the same
    /// ships (the whole sector, or one cell's view).
    /// </summary>
    private HashSet<IActorRef>? Resync()
    {
        if (!_delivery.AnyBehind && _catchUps.Count == 0)
        {
            return null;
        }

        var resumed = _sessions.Where(kv => _catchUps.Contains(kv.Value) || _delivery.TryResume(kv.Value)).ToList();
        _catchUps.Clear();
        if (resumed.Count == 0)
        {
            return null;
        }

        if (_interest is null)
        {
            var frames = SectorFrames.Snapshots(_state, null, _settings.MaxFrameBytes);
            foreach (var (_, session) in resumed)
            {
                _delivery.SendSnapshot(frames, session);
            }
        }
        else
        {
            foreach (var group in _interest.ViewsOf(resumed.Select(kv => kv.Key), _state.Ships))
            {
                var frames = SectorFrames.Snapshots(_state, group.Ships, _settings.MaxFrameBytes);
                foreach (var viewer in group.Viewers)
                {
                    _delivery.SendSnapshot(frames, _sessions[viewer]);
                }
            }
        }

        Metrics.Resynced(resumed.Count);
        return resumed.Select(kv => kv.Value).ToHashSet();
    }

    /// <summary>
    /// The share of this sector's players, of those connected through this node, whose
    /// connections are behind (<see cref="SectorSettings.BehindBytes"/> queued unsent); 0 for
    /// fewer than <see cref="MinPlayersBehind"/> of them, so one slow client cannot slow a small sector.
    /// </summary>
    private double BehindShare()
    {
        if (!_dilation.Rules.Enabled || _sessions.Count < MinPlayersBehind)
        {
            _lastBehind = (0, 0);
            return 0;
        }

        var (local, behind) = _delivery.Backlog(_sessions.Values, _settings.BehindBytes);
        _lastBehind = (behind, local);
        return local < MinPlayersBehind ? 0 : behind / (double)local;
    }

    /// <summary>
    /// Runs the game clock at <paramref name="factor"/>: the sector ticks 1/factor times less
    /// often, each tick still one step of game time, so a sector that cannot keep up slows down
    /// instead of falling behind (<see cref="TimeDilation"/>).
    /// </summary>
    private void Dilate(double factor)
    {
        if (factor == _state.Clock.Factor)
        {
            return;
        }

        if (factor < 1 && _state.Clock.Factor >= 1)
        {
            Log.Warning(
                "Sector {0} is dilated: its ticks take {1:F1} ms (smoothed; the budget is {2:P0} of the tick interval) and {3} of its {4} players' connections on this node are behind",
                _state.Id,
                _dilation.SmoothedWorkMs,
                _dilation.Rules.MaxTickShare,
                _lastBehind.Behind,
                _lastBehind.Local);
        }
        else if (factor >= 1)
        {
            Log.Info("Sector {0} is back to full speed", _state.Id);
        }

        _state.Dilate(factor, NowMs);
        ReportLoad();
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, _dilation.TickInterval(_state.Rules.TickHz));
    }

    /// <summary>False once this process has stalled past the fence: the sector stops instead of acting on stale state.</summary>
    private bool MayAnswer()
    {
        if (_fence.MayAcknowledge)
        {
            return true;
        }

        // Info: the fence logged the stall once as an error.
        Log.Info("Sector {0}: this node stalled and may have been replaced; stopping without acting", _state.Id);
        Timers.CancelAll();
        Context.Stop(Self);
        return false;
    }

    private void Reject(uint seq, Rejection rejection, string reason)
    {
        if (rejection != Rejection.None)
        {
            Sender.Tell(new InputRejected(seq, Replies.ToErrorCode(rejection), rejection == Rejection.UnknownTarget ? "no ship in this sector" : reason));
        }
    }

    private void Forget(string playerId)
    {
        _interest?.Forget(playerId);
        _predictsMotion.Remove(playerId);
        if (_sessions.Remove(playerId, out var session))
        {
            Context.Unwatch(session);
            _delivery.Forget(session);
        }
    }

    private SectorInfo Info() => new(
        _state.Id,
        _state.Tick,
        _state.Ships.Count,
        _state.ConnectedCount,
        _state.LastChatId,
        _tickTimes.P99(),
        _state.TimeDilation,
        _state.Ships.Select(s => new ShipInfo(s.PlayerId, s.Name, s.Position.X, s.Position.Y, s.Connected)).ToList(),
        _state.Asteroids.Select(a => new AsteroidInfo(a.Id, a.Position.X, a.Position.Y, a.Ore)).ToList(),
        _predictsMotion.Count);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class TakeSnapshot
    {
        public static readonly TakeSnapshot Instance = new();
    }
}
