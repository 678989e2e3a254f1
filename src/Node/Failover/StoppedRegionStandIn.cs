using System.Reflection;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;

namespace AkkaGame.Node.Failover;

/// <summary>
/// Answers a shard hand-off addressed to this node's shard region after that region stopped,
/// as the region itself answers a hand-off of a shard it does not host: "shard stopped".
/// <para>
/// Why: in Akka.NET 1.5.73 (as in JVM Akka, akka/akka-core#29093) the coordinator's rebalance
/// worker takes a region's termination as that region's acknowledgement of BeginHandOff. When
/// the terminated region is the shard's owner, the worker then sends HandOff to the stopped
/// region, and waits for a ShardStopped that never comes, for the whole handoff-timeout. Every
/// message for the shard waits with it. Seen in the chaos run (DrainDuringRebalance): a node
/// drained just as the coordinator allocated a player shard to it; the region, shutting down
/// with no shard started, stopped at once; the shard's players waited 5 s instead of 0.3 s.
/// </para>
/// <para>
/// Safe: only a hand-off that reached this process for a local shard region that has stopped
/// is answered. A stopped local actor never comes back, and a region stops only after its
/// shards (its children) stopped, so the shard runs nowhere here; the coordinator already
/// treats the region as terminated. Hand-offs lost on the way to another node are not
/// answered: that node may be alive behind a broken connection.
/// </para>
/// </summary>
public sealed class StoppedRegionStandIn : ReceiveActor
{
    // Akka's coordinator messages are internal; their names and shape are pinned by a test.
    private static readonly Assembly Sharding = typeof(ClusterSharding).Assembly;
    private static readonly Type HandOffType = Sharding.GetType("Akka.Cluster.Sharding.ShardCoordinator+HandOff", throwOnError: true)!;
    private static readonly FieldInfo HandOffShard = HandOffType.GetField("Shard") ?? throw new MissingFieldException(HandOffType.FullName, "Shard");
    private static readonly Type ShardStoppedType = Sharding.GetType("Akka.Cluster.Sharding.ShardCoordinator+ShardStopped", throwOnError: true)!;

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public StoppedRegionStandIn()
    {
        Receive<DeadLetter>(OnDeadLetter);
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new StoppedRegionStandIn());

    /// <summary>Akka's own answer of a region to a hand-off of a shard it does not host.</summary>
    public static object ShardStopped(string shard) => Activator.CreateInstance(ShardStoppedType, shard)!;

    /// <summary>A hand-off of <paramref name="shard"/>, as the coordinator sends it.</summary>
    public static object HandOff(string shard) => Activator.CreateInstance(HandOffType, shard)!;

    /// <summary>Whether <paramref name="path"/> names a shard region (/system/sharding/TYPE).</summary>
    public static bool IsShardRegion(ActorPath path) =>
        path.Elements.Count == 3 && path.Elements[0] == "system" && path.Elements[1] == "sharding";

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(DeadLetter));

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void OnDeadLetter(DeadLetter dead)
    {
        if (dead.Message.GetType() != HandOffType
            || dead.Sender is null || dead.Sender.IsNobody()
            || dead.Recipient is not IInternalActorRef { IsLocal: true } region
            || !IsShardRegion(region.Path))
        {
            return;
        }

        var shard = (string)HandOffShard.GetValue(dead.Message)!;
        _log.Info("Hand-off of shard [{0}] reached the stopped shard region {1}: answering ShardStopped for it (akka/akka-core#29093)", shard, region.Path);
        dead.Sender.Tell(ShardStopped(shard));
    }
}
