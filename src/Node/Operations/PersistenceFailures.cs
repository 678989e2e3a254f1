using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace AkkaGame.Node.Operations;

/// <summary>
/// Counts storage failures for <c>game stats</c>: every warning or error logged by a persistent
/// actor (sectors and players). Those actors log at that level only about storage: Akka's own
/// persist failures, rejections and recovery failures, and our snapshot save and delete
/// failures. Read from the event stream, so the actors need no counter of their own.
/// </summary>
public sealed class PersistenceFailures
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public static PersistenceFailures Watch(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var failures = new PersistenceFailures();
        ((ExtendedActorSystem)system).SystemActorOf(Props.Create(() => new Listener(failures)), "ops-persistence-failures");
        return failures;
    }

    public static bool IsPersistenceFailure(LogEvent e) =>
        e is Warning or Error && e.LogClass is { } type && typeof(Eventsourced).IsAssignableFrom(type);

    private sealed class Listener : ReceiveActor
    {
        public Listener(PersistenceFailures failures)
        {
            Receive<LogEvent>(e =>
            {
                if (IsPersistenceFailure(e))
                {
                    Interlocked.Increment(ref failures._count);
                }
            });
        }

        protected override void PreStart()
        {
            Context.System.EventStream.Subscribe(Self, typeof(Warning));
            Context.System.EventStream.Subscribe(Self, typeof(Error));
        }
    }
}
