using Akka.Actor;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Persistence.V1;

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
        PersistMeasured(@event, e =>
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

    protected override void FailAwaitingWrite(Exception cause)
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
