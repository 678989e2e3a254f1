using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using AkkaGame.Game.Simulation;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Placement;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Node.Operations;

/// <summary>
/// <c>game sector move</c>, <c>game sector unpin</c>, <c>game reinforce</c>, <c>game unreinforce</c>
/// and <c>game placement</c>: operators place sectors on named nodes (docs/crowds.md).
/// </summary>
public static class PlacementCommands
{
    public static IEnumerable<IOpsCommand> Create(IActorRef sectors, WorldRules world)
    {
        yield return new OpsCommand(
            "game sector move",
            "ID NODE",
            "moves a live sector to a game node (host:port or address) and keeps it there; its players stay connected",
            async ctx =>
            {
                ctx.Args.Expect(2, 2);
                var id = SectorCommands.SectorArg(ctx.Args.Required(0), world);
                var node = GameNode(ctx.System, ctx.Args.Required(1));
                var started = Stopwatch.StartNew();
                await SectorPlacement.Get(ctx.System).PinAsync(id, node, ctx.Timeout);
                var arrived = await WaitUntilHostedAsync(ctx.System, sectors, id, node, ctx.Timeout - started.Elapsed);
                var text = arrived
                    ? $"{id} runs on {node} ({started.ElapsedMilliseconds} ms) and stays there until 'game sector unpin {id}'"
                    : $"{id} is pinned to {node}; it moves at the next rebalance (it is not running yet, or the move takes longer than the timeout)";
                return OpsReply.Success(null, text, new { sector = id, node = node.ToString(), running = arrived, elapsedMs = started.ElapsedMilliseconds });
            });
        yield return new OpsCommand(
            "game sector unpin",
            "ID",
            "lets sharding place the sector again (after game sector move or game reinforce)",
            async ctx =>
            {
                ctx.Args.Expect(1, 1);
                var id = SectorCommands.SectorArg(ctx.Args.Required(0), world);
                await SectorPlacement.Get(ctx.System).UnpinAsync(id, ctx.Timeout);
                return OpsReply.Success(null, $"{id} is no longer pinned", new { sector = id });
            });
        yield return new OpsCommand(
            "game reinforce",
            "NODE ID [ID...]",
            "reserves a game node for these sectors ahead of a battle: they move there, every other sector moves away",
            async ctx =>
            {
                ctx.Args.Expect(2, 64);
                var node = GameNode(ctx.System, ctx.Args.Required(0));
                var ids = Enumerable.Range(1, ctx.Args.Positional.Count - 1).Select(i => SectorCommands.SectorArg(ctx.Args.Required(i), world)).Distinct().ToList();
                await SectorPlacement.Get(ctx.System).ReserveAsync(node, ids, ctx.Timeout);
                return OpsReply.Success(null, $"{node} is reserved for {string.Join(", ", ids)}; they move there and other sectors move away within seconds", new { node = node.ToString(), sectors = ids });
            });
        yield return new OpsCommand(
            "game unreinforce",
            "NODE",
            "ends a reservation: the node takes any sector again, and its sectors are unpinned",
            async ctx =>
            {
                ctx.Args.Expect(1, 1);
                var node = ClusterAddresses.Parse(ctx.System, ctx.Args.Required(0));
                await SectorPlacement.Get(ctx.System).ReleaseAsync(node, ctx.Timeout);
                return OpsReply.Success(null, $"{node} takes any sector again", new { node = node.ToString() });
            });
        yield return new OpsCommand(
            "game placement",
            string.Empty,
            "pinned sectors and reserved nodes",
            ctx =>
            {
                ctx.Args.Expect(0, 0);
                var view = SectorPlacement.Get(ctx.System).View;
                var rows = view.Pins.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => new { sector = p.Key, node = p.Value.ToString(), reserved = view.Reserved.Contains(p.Value) })
                    .ToList();
                var table = OpsTable.Of(["SECTOR", "PINNED TO", "RESERVED NODE"], rows.Select(r => (IReadOnlyList<string>)[r.sector, r.node, r.reserved ? "yes" : "no"]));
                var text = $"{rows.Count} pinned sectors; reserved nodes: {(view.Reserved.Count == 0 ? "none" : string.Join(", ", view.Reserved))}";
                return Task.FromResult(OpsReply.Success(table, text, new { pins = rows, reserved = view.Reserved.Select(a => a.ToString()).Order(StringComparer.Ordinal).ToList() }));
            });
    }

    /// <summary>An Up member with the game role, or a usage error that says what it is instead.</summary>
    private static Address GameNode(ActorSystem system, string text)
    {
        var address = ClusterAddresses.Parse(system, text);
        var member = ClusterAddresses.FindMember(system, address) ?? throw new OpsUsageException($"{address} is not a member of this cluster");
        if (!member.HasRole(Hosting.GameNode.GameRole) || member.Status != MemberStatus.Up)
        {
            throw new OpsUsageException($"{address} is not an Up game node ({member.Status}, roles {string.Join(",", member.Roles)})");
        }

        return member.Address;
    }

    private static async Task<bool> WaitUntilHostedAsync(ActorSystem system, IActorRef sectors, string id, Address node, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var (live, _) = await LiveSectors.InClusterAsync(system, sectors, TimeSpan.FromSeconds(2));
            if (live.Any(s => s.SectorId == id && s.Node == node.ToString()))
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        return false;
    }
}
