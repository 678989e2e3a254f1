using System.Diagnostics;
using Akka.Event;
using Akka.Persistence;
using AkkaGame.Node.Monitoring;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// What every event-sourced game entity (player, sector) does when storage fails: count it for
/// game stats, tell whoever waits for the write that it was not stored (never an answer as if it
/// were), and stop. A refused write (the journal's unique key: another instance of this entity
/// wrote first) and a failed one end the same way; Akka would carry on after a rejection with a
/// sequence number that was never stored, so this stops there too.
/// </summary>
public abstract class StoredEntityActor : ReceivePersistentActor
{
    protected StoredEntityActor()
    {
        Failures = PersistenceFailures.Get(Context.System);
        Metrics = NodeMetrics.Get(Context.System);
    }

    protected PersistenceFailures Failures { get; }

    protected NodeMetrics Metrics { get; }

    /// <summary>The entity's kind in metrics ("sector", "player").</summary>
    protected abstract string EntityKind { get; }

    /// <summary>How the entity names itself in the log ("Player p-1", "Sector s-0-3").</summary>
    protected abstract string EntityName { get; }

    /// <summary>Tells whoever waits for the write in flight that it was not stored.</summary>
    protected abstract void FailAwaitingWrite(Exception cause);

    /// <summary>
    /// <see cref="Eventsourced.Persist{TEvent}(TEvent, Action{TEvent})"/>, with the time from the
    /// write to the journal's confirmation recorded (akkagame_persistence_write_duration_seconds).
    /// </summary>
    protected void PersistMeasured<TEvent>(TEvent @event, Action<TEvent> handler)
    {
        var started = Stopwatch.GetTimestamp();
        Persist(@event, stored =>
        {
            Metrics.WriteTook(EntityKind, Stopwatch.GetElapsedTime(started));
            handler(stored);
        });
    }

    protected sealed override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Failures.Record();
        Log.Error(cause, "{0}: the journal rejected event {1} at sequence number {2}. Stopping without acknowledging it.", EntityName, @event.GetType().Name, sequenceNr);
        FailAwaitingWrite(cause);
        Context.Stop(Self);
    }

    protected sealed override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Failures.Record();
        FailAwaitingWrite(cause);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected sealed override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        Failures.Record();
        base.OnRecoveryFailure(reason, message);
    }

    /// <summary>A snapshot could not be saved or deleted: counted and logged; the entity goes on.</summary>
    protected void StorageFailed(Exception cause, string what)
    {
        Failures.Record();
        Log.Warning(cause, "{0}: {1}", EntityName, what);
    }
}
