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
/// The sector's storage: periodic snapshots, the snapshot before it stops (passivation, hand-off),
/// and what a failed or refused write does (the poster hears the line was not stored; the
/// failure is counted for game stats).
/// </summary>
public sealed partial class SectorActor
{
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
}
