using Akka.Cluster;
using Akka.Event;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary><c>cluster leave|down|down-unreachable|join</c>: membership changes, as pbm names them.</summary>
public static class ClusterMembershipCommands
{
    public static IEnumerable<IOpsCommand> Create()
    {
        yield return new OpsCommand(
            "cluster leave",
            "ADDRESS",
            "the member leaves gracefully: hands off its shards, then shuts down (ADDRESS or host:port)",
            ctx => Task.FromResult(Change(ctx, "leave", (cluster, address) => cluster.Leave(address), "is leaving the cluster")));
        yield return new OpsCommand(
            "cluster down",
            "ADDRESS",
            "marks the member down at once (for a dead node; a live one shuts itself down)",
            ctx => Task.FromResult(Change(ctx, "down", (cluster, address) => cluster.Down(address), "is marked down")));
        yield return new OpsCommand(
            "cluster down-unreachable",
            string.Empty,
            "marks every unreachable member down",
            ctx =>
            {
                ctx.Args.Expect(0, 0);
                var cluster = Cluster.Get(ctx.System);
                var unreachable = cluster.State.Unreachable.Select(m => m.Address).ToList();
                foreach (var address in unreachable)
                {
                    cluster.Down(address);
                }

                var text = unreachable.Count == 0 ? "no unreachable members" : $"marked down: {string.Join(", ", unreachable)}";
                return Task.FromResult(OpsReply.Success(text: text, data: new { action = "down", addresses = unreachable.Select(a => a.ToString()).ToList() }));
            });
        yield return new OpsCommand(
            "cluster join",
            "ADDRESS",
            "this node joins the cluster of the member at ADDRESS (a node not yet in a cluster)",
            ctx =>
            {
                ctx.Args.Expect(1, 1);
                var address = ClusterAddresses.Parse(ctx.System, ctx.Args.Required(0));
                Cluster.Get(ctx.System).Join(address);
                return Task.FromResult(OpsReply.Success(text: $"join sent to {address}", data: new { action = "join", address = address.ToString() }));
            });
    }

    private static OpsReply Change(OpsRequestContext ctx, string action, Action<Cluster, Akka.Actor.Address> change, string outcome)
    {
        ctx.Args.Expect(1, 1);
        var address = ClusterAddresses.Parse(ctx.System, ctx.Args.Required(0));
        if (ClusterAddresses.FindMember(ctx.System, address) is not { } member)
        {
            return OpsReply.Failure($"no member at {address}; 'cluster show' lists them", OpsExitCodes.Failed);
        }

        change(Cluster.Get(ctx.System), member.Address);
        ctx.Log.Warning("Operator: {0} {1}", action, member.Address);
        return OpsReply.Success(text: $"{member.Address} {outcome}", data: new { action, address = member.Address.ToString(), previousStatus = member.Status.ToString() });
    }
}
