using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Persistence.V1;
using AkkaGame.Node.Sessions;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Node.Players;

/// <summary>
/// The player's events: applied in one place (recovery and live writes alike), stored before any
/// answer, snapshotted every snapshot-every events; a refused or failed write stops the player and
/// the waiting session hears it was not stored, never a balance.
/// </summary>
public sealed partial class PlayerActor
{
    /// <summary>The one place an event changes the player: recovery replays it, a live write applies it once stored.</summary>
    private void Apply(IPersisted @event)
    {
        switch (@event)
        {
            case PlayerRegisteredV1 e:
                _state.Register(e.Name, e.SectorId);
                break;
            case PlayerRenamedV1 e:
                _state.Rename(e.Name);
                break;
            case CreditsAddedV1 e:
                _state.ApplyCredits(e.OperationId, e.Amount);
                break;
            case PlayerRelocatedV1 e:
                _state.MoveTo(e.SectorId);
                break;
        }
    }

    /// <summary>
    /// Stores the event, then applies it and answers. Answers only if this process has not stalled
    /// meanwhile (<see cref="StallFence"/>): a stored event a zombie wrote is recovered by the
    /// live instance, but the zombie must not confirm it from its stale state.
    /// </summary>
    private void PersistAndSnapshot<TEvent>(TEvent @event, IActorRef awaiting, Action<TEvent> answer)
        where TEvent : IPersisted
    {
        if (!MayAnswer())
        {
            return;
        }

        _awaitingWrite = awaiting;
        Persist(@event, e =>
        {
            _awaitingWrite = null;
            if (!MayAnswer())
            {
                return;
            }

            Apply(e);
            answer(e);
            if (LastSequenceNr % _settings.SnapshotEvery == 0)
            {
                SaveSnapshot(ToSnapshot());
            }
        });
    }

    /// <summary>
    /// The journal rejected the event (a plugin-side rejection, such as an event it cannot
    /// serialize). Akka would carry on with a sequence number that was never stored; this player
    /// stops instead, and the waiting session hears of the failure instead of an acknowledgement.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _failures.Record();
        _log.Error(cause, "Player {0}: the journal rejected event {1} at sequence number {2}. Stopping without acknowledging.", _state.PlayerId, @event.GetType().Name, sequenceNr);
        FailAwaitingWrite(cause);
        Context.Stop(Self);
    }

    /// <summary>
    /// The write failed: the store is down, or its unique key (persistence id, sequence number)
    /// refused it because another instance of this player wrote first, so this one's state is
    /// stale. Akka stops the player; the waiting session hears of the failure, never a balance.
    /// </summary>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _failures.Record();
        FailAwaitingWrite(cause);
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

    private void FailAwaitingWrite(Exception cause)
    {
        _awaitingWrite?.Tell(new WriteNotStored(_state.PlayerId, cause.GetType().Name + ": " + cause.Message));
        _awaitingWrite = null;
    }

    private PlayerSnapshotV1 ToSnapshot()
    {
        var snapshot = new PlayerSnapshotV1 { Name = _state.Name ?? string.Empty, SectorId = _state.SectorId ?? string.Empty, Credits = _state.Credits };
        snapshot.RecentOperations.AddRange(_state.RecentOperations.Select(o => new AppliedOperationV1 { OperationId = o.Key, BalanceAfter = o.Value }));
        return snapshot;
    }
}
