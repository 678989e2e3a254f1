using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using AkkaGame.Operations.Protocol;
using static Akka.Cluster.ClusterEvent;

namespace AkkaGame.Operations.Commands;

/// <summary>
/// <c>cluster tail</c>: the current members, then every membership, reachability and leader
/// event as it happens, until the client disconnects (Ctrl+C in the CLI).
/// </summary>
public static class ClusterTailCommand
{
    private static int _tails;

    public static IOpsCommand Create() => new OpsCommand(
        "cluster tail",
        string.Empty,
        "streams membership events (joined, up, left, removed, unreachable, leader) until Ctrl+C",
        RunAsync);

    private static async Task<OpsReply> RunAsync(OpsRequestContext ctx)
    {
        ctx.Args.Expect(0, 0);
        var events = Channel.CreateUnbounded<OpsReply>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var system = (ExtendedActorSystem)ctx.System;
        IActorRef forwarder;
        try
        {
            forwarder = system.SystemActorOf(Props.Create(() => new Forwarder(events.Writer)), $"ops-cluster-tail-{Interlocked.Increment(ref _tails)}");
        }
        catch (InvalidOperationException) when (system.WhenTerminated.IsCompleted)
        {
            return OpsReply.Failure("the node is shutting down", OpsExitCodes.Failed);
        }

        try
        {
            await foreach (var line in events.Reader.ReadAllAsync(ctx.Cancelled))
            {
                await ctx.EmitAsync(line);
            }
        }
        finally
        {
            forwarder.Tell(PoisonPill.Instance);
        }

        // The forwarder stopped by itself: the actor system is going away.
        return OpsReply.Success(text: "tail ended: the node is shutting down");
    }

    private static OpsReply Describe(string kind, Member member) => OpsReply.Success(
        text: $"{DateTime.UtcNow:HH:mm:ss.fff} {kind} {member.Address} status={member.Status} roles={string.Join(',', member.Roles.Order(StringComparer.Ordinal))}",
        data: new
        {
            time = DateTime.UtcNow,
            @event = kind,
            address = member.Address.ToString(),
            status = member.Status.ToString(),
            roles = member.Roles.Order(StringComparer.Ordinal).ToList(),
        });

    /// <summary>Subscribes to cluster events for one tail and turns each into a reply line.</summary>
    private sealed class Forwarder : ReceiveActor
    {
        private readonly ChannelWriter<OpsReply> _out;

        public Forwarder(ChannelWriter<OpsReply> output)
        {
            _out = output;
            Receive<CurrentClusterState>(_ => _out.TryWrite(ClusterShowCommand.Show(Context.System)));
            Receive<IMemberEvent>(e => _out.TryWrite(Describe(e.GetType().Name, e.Member)));
            Receive<UnreachableMember>(e => _out.TryWrite(Describe("UnreachableMember", e.Member)));
            Receive<ReachableMember>(e => _out.TryWrite(Describe("ReachableMember", e.Member)));
            Receive<LeaderChanged>(e => _out.TryWrite(OpsReply.Success(
                text: $"{DateTime.UtcNow:HH:mm:ss.fff} LeaderChanged {e.Leader?.ToString() ?? "none"}",
                data: new { time = DateTime.UtcNow, @event = "LeaderChanged", address = e.Leader?.ToString() })));
        }

        protected override void PreStart() =>
            Cluster.Get(Context.System).Subscribe(Self, SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(IMemberEvent), typeof(IReachabilityEvent), typeof(LeaderChanged));

        protected override void PostStop()
        {
            Cluster.Get(Context.System).Unsubscribe(Self);
            _out.TryComplete();
        }
    }
}
