using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using AkkaGame.Node.Messages;
using Akkagame.V1;

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
            _passivating = true;
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
                StorageFailed(f.Cause, "final snapshot failed; state since the last one is lost");
                Context.Stop(Self);
            });
            CommandAny(_ => { });
        });
    }

    protected override void FailAwaitingWrite(Exception cause)
    {
        if (_awaitingWrite is { } awaiting)
        {
            awaiting.Sender.Tell(new InputRejected(awaiting.Seq, ErrorCode.Internal, "the chat line could not be stored; try again"));
            _awaitingWrite = null;
        }
    }
}
