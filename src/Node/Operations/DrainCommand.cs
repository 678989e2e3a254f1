using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using AkkaGame.Node.Gateway;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Node.Operations;

/// <summary>
/// <c>game drain</c>: this node's graceful exit, the same coordinated shutdown as SIGTERM. It
/// stops accepting, sends Notice{SHUTTING_DOWN_NOTICE} to its clients (who resume elsewhere),
/// hands off its sectors (which snapshot as they stop), leaves the cluster and ends the process.
/// The reply goes out first; the shutdown starts once it is written.
/// </summary>
public static class DrainCommand
{
    public static IOpsCommand Create(IActorRef gateway) => new OpsCommand(
        "game drain",
        string.Empty,
        "drains this node: clients told to reconnect elsewhere, sectors handed off, node leaves and stops",
        async ctx =>
        {
            ctx.Args.Expect(0, 0);
            var sessions = await gateway.Ask<int>(GatewayActor.CountSessions.Instance, ctx.Timeout);
            var self = Cluster.Get(ctx.System).SelfAddress.ToString();
            ctx.Log.Warning("Operator: drain of {0} ({1} connections)", self, sessions);
            return OpsReply.Success(
                text: $"draining {self}: {sessions} connections told to reconnect elsewhere; sectors hand off, then the node leaves the cluster and stops",
                data: new { node = self, sessions }) with
            {
                AfterSent = () =>
                {
                    // Not awaited: the shutdown ends this endpoint, and with it the connection that asked.
                    _ = CoordinatedShutdown.Get(ctx.System).Run(OperatorDrainReason.Instance);
                    return Task.CompletedTask;
                },
            };
        });

    /// <summary>Why the node stopped, as coordinated shutdown records it.</summary>
    public sealed class OperatorDrainReason : CoordinatedShutdown.Reason
    {
        public static readonly OperatorDrainReason Instance = new();

        private OperatorDrainReason()
        {
        }

        /// <summary>A drain is a clean exit.</summary>
        public override int ExitCode => 0;

        public override string ToString() => "drained by an operator";
    }
}
