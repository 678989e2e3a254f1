using Akkagame.V1;
using System.Diagnostics;
using System.Numerics;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Persistence.V1;
using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;
using AkkaGame.Game.Frames;

namespace AkkaGame.Node.Sectors;

/// <summary>
/// Hosts one sector's <see cref="SectorState"/>: applies inputs, ticks at tick-hz, sends each
/// delta (encoded once) to the sessions of its players, journals chat before broadcasting it,
/// snapshots every snapshot-interval and before it stops.
/// </summary>
public sealed class SectorActor : ReceivePersistentActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SectorSettings _settings;
    private readonly SectorState _state;
    private readonly Dictionary<string, IActorRef> _sessions = new(StringComparer.Ordinal);
    private readonly TickTimes _tickTimes = new();
    private readonly StallFence _fence = StallFence.Get(Context.System);
    private readonly PersistenceFailures _failures = PersistenceFailures.Get(Context.System);

    /// <summary>Written into every chat event, so an audit can tell two live instances from one that moved.</summary>
    private readonly string _incarnation = Incarnation.New();

    /// <summary>The chat line being stored and who posted it: told of a refused or failed write instead of a ChatLine.</summary>
    private (IActorRef Sender, uint Seq)? _awaitingWrite;
    private bool _changedSinceSnapshot;
    private long _emptySinceMs;

    public SectorActor(string sectorId, WorldRules rules, SectorSettings settings)
    {
        _settings = settings;
        _state = new SectorState(sectorId, rules);
        PersistenceId = "sector-" + sectorId;
        _emptySinceMs = NowMs;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SectorSnapshotV1 snapshot)
            {
                SectorSnapshots.Restore(_state, snapshot, NowMs);
            }
        });
        Recover<ChatPostedV1>(chat => _state.ApplyChat(SectorSnapshots.FromPersisted(chat)));
        Recover<RecoveryCompleted>(_ =>
        {
            Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, TimeSpan.FromSeconds(1.0 / rules.TickHz));
            Timers.StartPeriodicTimer(nameof(TakeSnapshot), TakeSnapshot.Instance, settings.SnapshotInterval);
            _log.Debug("Sector {0} recovered: {1} ships, last chat {2}", sectorId, _state.Ships.Count, _state.LastChatId);
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
            }
        });
        Command<Tick>(_ => OnTick());
        Command<TakeSnapshot>(_ => OnSnapshotTimer());
        Command<Stop>(_ => StopAfterSnapshot());
        Command<GetSectorInfo>(_ => Sender.Tell(Info()));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => StorageFailed(f.Cause, "Sector {0}: snapshot failed; the next interval retries", _state.Id));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => StorageFailed(f.Cause, "Sector {0}: deleting old snapshots failed", _state.Id));
    }

    public override string PersistenceId { get; }

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
        }

        _sessions[join.PlayerId] = join.Session;
        Context.Watch(join.Session);
        _changedSinceSnapshot = true;
        join.Session.Tell(new SectorJoined(_state.Id, SectorFrames.Snapshot(_state)));
    }

    private void OnChat(PostChat chat)
    {
        if (!MayAnswer())
        {
            return;
        }

        var ship = _state.FindShip(chat.PlayerId);
        var text = ChatRules.Validate(chat.Text, _state.Rules.ChatMaxLength, out var reason);
        if (ship is null || text is null)
        {
            Sender.Tell(new InputRejected(chat.Seq, ErrorCode.InvalidInput, ship is null ? "no ship in this sector" : reason));
            return;
        }

        var entry = new ChatEntry(_state.LastChatId + 1, chat.PlayerId, ship.Name, text, Replies.ServerTimeUs());
        var sender = Sender;

        // Persist (not PersistAsync) stashes commands until stored, so chat ids stay sequential
        // and no snapshot can be taken that claims an event whose effect is not yet applied.
        _awaitingWrite = (sender, chat.Seq);
        var posted = SectorSnapshots.ToPersisted(entry);
        posted.Writer = _incarnation;
        Persist(posted, _ =>
        {
            _awaitingWrite = null;
            if (!MayAnswer())
            {
                return;
            }

            _state.ApplyChat(entry);
            _changedSinceSnapshot = true;
            var toOthers = new DeliverFrame(SectorFrames.Chat(entry, _state.Id, ack: 0));
            foreach (var (playerId, session) in _sessions)
            {
                session.Tell(playerId == chat.PlayerId ? new DeliverFrame(SectorFrames.Chat(entry, _state.Id, chat.Seq)) : toOthers);
            }

            if (!_sessions.ContainsKey(chat.PlayerId))
            {
                sender.Tell(new DeliverFrame(SectorFrames.Chat(entry, _state.Id, chat.Seq)));
            }
        });
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
        var result = _state.Advance(NowMs);
        if (!result.IsEmpty)
        {
            _changedSinceSnapshot = true;
            if (_sessions.Count > 0)
            {
                var frame = new DeliverFrame(SectorFrames.Delta(_state.Id, result));
                foreach (var session in _sessions.Values)
                {
                    session.Tell(frame);
                }
            }
        }

        _tickTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void OnSnapshotTimer()
    {
        if (!MayAnswer())
        {
            return;
        }

        if (_changedSinceSnapshot)
        {
            _changedSinceSnapshot = false;
            SaveSnapshot(SectorSnapshots.ToPersisted(_state));
        }

        if (_state.Ships.Count > 0 || _sessions.Count > 0)
        {
            _emptySinceMs = NowMs;
        }
        else if (NowMs - _emptySinceMs >= (long)_settings.PassivateAfter.TotalMilliseconds)
        {
            // The shard answers with Stop, which snapshots before stopping.
            Context.Parent.Tell(new Passivate(Stop.Instance));
        }
    }

    private void StopAfterSnapshot()
    {
        Timers.CancelAll();
        if (!_fence.MayAcknowledge)
        {
            // A zombie's state is stale; its snapshot could shadow the live instance's.
            Context.Stop(Self);
            return;
        }

        SaveSnapshot(SectorSnapshots.ToPersisted(_state));
        Become(() =>
        {
            Command<SaveSnapshotSuccess>(_ => Context.Stop(Self));
            Command<SaveSnapshotFailure>(f =>
            {
                StorageFailed(f.Cause, "Sector {0}: final snapshot failed; state since the last one is lost", _state.Id);
                Context.Stop(Self);
            });
            CommandAny(_ => { });
        });
    }

    /// <summary>
    /// The journal rejected the chat event (a plugin-side rejection, such as an event it cannot
    /// serialize). Akka would carry on; this sector stops instead, and the poster hears that its
    /// line was not stored.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _failures.Record();
        _log.Error(cause, "Sector {0}: the journal rejected event {1} at sequence number {2}. Stopping without broadcasting.", _state.Id, @event.GetType().Name, sequenceNr);
        FailAwaitingWrite();
        Context.Stop(Self);
    }

    /// <summary>
    /// The write failed: the store is down, or its unique key (persistence id, sequence number)
    /// refused it because another instance of this sector wrote first. Akka stops the sector
    /// (sessions rejoin the live instance); the poster hears that its line was not stored.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _failures.Record();
        FailAwaitingWrite();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _failures.Record();
        base.OnRecoveryFailure(reason, message);
    }

    private void StorageFailed(Exception cause, string format, string id)
    {
        _failures.Record();
        _log.Warning(cause, format, id);
    }

    private void FailAwaitingWrite()
    {
        if (_awaitingWrite is { } awaiting)
        {
            awaiting.Sender.Tell(new InputRejected(awaiting.Seq, ErrorCode.Internal, "the chat line could not be stored; try again"));
            _awaitingWrite = null;
        }
    }

    /// <summary>False once this process has stalled past the fence: the sector stops instead of acting on stale state.</summary>
    private bool MayAnswer()
    {
        if (_fence.MayAcknowledge)
        {
            return true;
        }

        // Info, not a warning: the fence logged the stall once as an error; warnings from a
        // persistent actor count as storage failures in game stats.
        _log.Info("Sector {0}: this node stalled and may have been replaced; stopping without acting", _state.Id);
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
        if (_sessions.Remove(playerId, out var session))
        {
            Context.Unwatch(session);
        }
    }

    private SectorInfo Info() => new(
        _state.Id,
        _state.Tick,
        _state.Ships.Count,
        _state.ConnectedCount,
        _state.LastChatId,
        _tickTimes.P99(),
        _state.Ships.Select(s => new ShipInfo(s.PlayerId, s.Name, s.Position.X, s.Position.Y, s.Connected)).ToList(),
        _state.Asteroids.Select(a => new AsteroidInfo(a.Id, a.Position.X, a.Position.Y, a.Ore)).ToList());

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class TakeSnapshot
    {
        public static readonly TakeSnapshot Instance = new();
    }

    /// <summary>The last 256 tick durations, for the p99 operators see.</summary>
    private sealed class TickTimes
    {
        private readonly double[] _samples = new double[256];
        private int _count;

        public void Add(double ms) => _samples[_count++ % _samples.Length] = ms;

        public double P99()
        {
            var n = Math.Min(_count, _samples.Length);
            if (n == 0)
            {
                return 0;
            }

            var sorted = _samples.Take(n).Order().ToArray();
            return sorted[Math.Min(n - 1, (int)Math.Ceiling(n * 0.99) - 1)];
        }
    }
}
