using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using AkkaGame.Node.Persistence.V1;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// Opens the journal and snapshot store of a starting node, and uses their read and write
/// paths once, before the node hosts any entity: recovers "node-HOST:PORT", journals a
/// <see cref="NodeStartedV1"/> and saves it as a snapshot.
/// <para>
/// Why: a fresh process's first storage operations pay for the plugin's start, the database
/// connections and the query compilation, over a second on a loaded machine. Seen in the chaos
/// soak: a node restarted and drained a few seconds later had a player's first write still in
/// flight after the hand-off's one second for entities to stop; the entity was stopped by
/// force, its write landed after the player had already recovered on another node, and the
/// journal's key refused that instance's next write (fenced, nothing acknowledged lost, but a
/// second writer all the same). Warm, the same write takes milliseconds.
/// </para>
/// </summary>
public static class StorageWarmup
{
    /// <summary>Warms the node's storage; false (logged) when it failed or took longer than <paramref name="timeout"/>.</summary>
    public static async Task<bool> RunAsync(ActorSystem system, string address, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(system);
        var log = Logging.GetLogger(system, typeof(StorageWarmup));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var warmup = system.ActorOf(Props.Create(() => new WarmupActor(address)), "storage-warmup");
        try
        {
            var finished = await warmup.Ask<Finished>(Begin.Instance, timeout);
            if (finished.Failure is null)
            {
                log.Info("Storage warm-up: journal and snapshot store ready in {0} ms (recovery {1} ms, first event {2} ms, first snapshot {3} ms)",
                    started.ElapsedMilliseconds, finished.RecoveredMs, finished.PersistedMs, finished.SnapshotMs);
                return true;
            }

            log.Warning("Storage warm-up failed: {0}", finished.Failure.Message);
        }
        catch (AskTimeoutException)
        {
            log.Warning("Storage warm-up did not complete in {0}", timeout);
        }

        // Not fatal: the storage may come up later; entities then pay for its first use.
        system.Stop(warmup);
        return false;
    }

    private sealed class Begin
    {
        public static readonly Begin Instance = new();
    }

    private sealed record Finished(Exception? Failure, long RecoveredMs = 0, long PersistedMs = 0, long SnapshotMs = 0);

    private sealed class WarmupActor : ReceivePersistentActor
    {
        private readonly string _address;
        private readonly string _incarnation = Incarnation.New();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private IActorRef? _replyTo;
        private Finished? _result;
        private long _recoveredMs;
        private long _persistedMs;

        public WarmupActor(string address)
        {
            _address = address;
            Recover<NodeStartedV1>(_ => { });
            Recover<SnapshotOffer>(_ => { });
            Recover<RecoveryCompleted>(_ =>
            {
                _recoveredMs = _clock.ElapsedMilliseconds;
                Persist(
                    new NodeStartedV1 { Address = _address, StartedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Writer = _incarnation },
                    started =>
                    {
                        _persistedMs = _clock.ElapsedMilliseconds - _recoveredMs;
                        SaveSnapshot(started);
                    });
            });
            Command<Begin>(_ =>
            {
                _replyTo = Sender;
                ReplyWhenDone();
            });
            Command<SaveSnapshotSuccess>(_ => Done(null, _clock.ElapsedMilliseconds - _recoveredMs - _persistedMs));
            Command<SaveSnapshotFailure>(f => Done(f.Cause));
        }

        public override string PersistenceId => "node-" + _address;

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr) => Done(cause);

        protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr) => Done(cause);

        protected override void OnRecoveryFailure(Exception reason, object? message = null) => Done(reason);

        private void Done(Exception? failure, long snapshotMs = 0)
        {
            _result = new Finished(failure, _recoveredMs, _persistedMs, snapshotMs);
            ReplyWhenDone();
        }

        private void ReplyWhenDone()
        {
            if (_replyTo is not null && _result is not null)
            {
                _replyTo.Tell(_result);
                Context.Stop(Self);
            }
        }
    }
}
