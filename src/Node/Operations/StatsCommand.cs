using System.Globalization;
using Akka.Actor;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Sessions;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Node.Operations;

/// <summary>
/// <c>game stats</c>: this node's gateway and simulation numbers: connections, message and byte
/// rates, the worst tick time p99 among its sectors, rejected and fatal messages, storage failures.
/// </summary>
public static class StatsCommand
{
    public static IOpsCommand Create(GatewayMetrics metrics, IActorRef sectors, PersistenceFailures persistenceFailures)
    {
        var rates = new GatewayRates(metrics);
        return new OpsCommand(
            "game stats",
            string.Empty,
            "this node: connections, messages and bytes per second, tick p99, rejected messages, persistence failures",
            async ctx =>
            {
                ctx.Args.Expect(0, 0);
                var m = metrics;
                var ids = await LiveSectors.OnThisNodeAsync(sectors, ctx.Timeout);
                var infos = await LiveSectors.InfoAsync(sectors, ids, ctx.Timeout);
                var sample = await rates.MeasureAsync(ctx.Cancelled);
                var data = new
                {
                    node = Akka.Cluster.Cluster.Get(ctx.System).SelfAddress.ToString(),
                    connections = m.Connections,
                    connectionsAccepted = m.Accepted,
                    messagesInPerSecond = sample.MessagesInPerSecond,
                    messagesOutPerSecond = sample.MessagesOutPerSecond,
                    bytesInPerSecond = sample.BytesInPerSecond,
                    bytesOutPerSecond = sample.BytesOutPerSecond,
                    rateWindowSeconds = sample.WindowSeconds,
                    sectors = infos.Count,
                    tickP99Ms = infos.Count == 0 ? 0 : Math.Round(infos.Max(i => i.TickMillisP99), 3),
                    messagesIn = m.MessagesIn,
                    messagesOut = m.MessagesOut,
                    rejectedMessages = m.Rejected,
                    fatalErrors = m.FatalErrors,
                    persistenceFailures = persistenceFailures.Count,
                };
                var table = OpsTable.Of(
                    ["METRIC", "VALUE"],
                    [
                        ["connections", Num(data.connections)],
                        ["connections accepted (total)", Num(data.connectionsAccepted)],
                        ["messages in/s", Rate(data.messagesInPerSecond)],
                        ["messages out/s", Rate(data.messagesOutPerSecond)],
                        ["bytes in/s", Rate(data.bytesInPerSecond)],
                        ["bytes out/s", Rate(data.bytesOutPerSecond)],
                        ["sectors on this node", Num(data.sectors)],
                        ["tick p99 ms (worst sector)", data.tickP99Ms.ToString("0.000", CultureInfo.InvariantCulture)],
                        ["rejected messages (rate limit, total)", Num(data.rejectedMessages)],
                        ["fatal errors sent (total)", Num(data.fatalErrors)],
                        ["persistence failures (total)", Num(data.persistenceFailures)],
                    ]);
                return OpsReply.Success(table, $"rates over the last {sample.WindowSeconds:0.###} s", data);
            });
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Rate(double r) => r.ToString("0.0", CultureInfo.InvariantCulture);
}
