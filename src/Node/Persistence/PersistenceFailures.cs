using Akka.Actor;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// Storage failures of this node's sectors and players, for <c>game stats</c>: counted by the
/// entities themselves in their persistence callbacks (a failed or rejected write, a failed
/// recovery, a failed snapshot save or delete), not read back from log lines.
/// </summary>
public sealed class PersistenceFailures : IExtension
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public static PersistenceFailures Get(ActorSystem system) => system.WithExtension<PersistenceFailures, PersistenceFailuresProvider>();

    public void Record() => Interlocked.Increment(ref _count);
}

public sealed class PersistenceFailuresProvider : ExtensionIdProvider<PersistenceFailures>
{
    public override PersistenceFailures CreateExtension(ExtendedActorSystem system) => new();
}
