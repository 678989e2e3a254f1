using System.Globalization;
using Akka.Actor;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary>
/// <c>actor hierarchy [--depth N]</c>: the actors under /user and /system of this node. Reads each
/// actor's children directly (ActorRefWithCell.Children) rather than Identify through selections:
/// exact and instant, where Identify answers wait in busy mailboxes and leave "all replies in?" to a guess.
/// </summary>
public static class ActorHierarchyCommand
{
    private const int DefaultDepth = 3;
    private const int MaxRows = 2000;

    /// <summary>An actor with more children (a shard with thousands of players) shows this many and a count.</summary>
    private const int MaxChildrenShown = 50;

    public static IOpsCommand Create() => new OpsCommand(
        "actor hierarchy",
        "[--depth N]",
        $"the actor tree under /user and /system, N levels deep (default {DefaultDepth})",
        ctx =>
        {
            ctx.Args.Expect(0, 0);
            var depth = ctx.Args.IntOption("depth", DefaultDepth, 0, 20);
            return Task.FromResult(Walk((ExtendedActorSystem)ctx.System, depth));
        },
        "depth");

    private static OpsReply Walk(ExtendedActorSystem system, int depth)
    {
        var rows = new List<Row>();
        Visit(system.Guardian, 0, depth, rows);
        Visit(system.SystemGuardian, 0, depth, rows);
        var truncated = rows.Count >= MaxRows;
        var table = OpsTable.Of(
            ["PATH", "TYPE", "CHILDREN"],
            rows.Select(r => (IReadOnlyList<string>)[new string(' ', 2 * r.Depth) + r.Path, r.Type, r.Children.ToString(CultureInfo.InvariantCulture)]));
        var text = $"{rows.Count} actors shown, {depth} levels below /user and /system" + (truncated ? $"; stopped at {MaxRows} rows" : string.Empty);
        return OpsReply.Success(table, text, new { depth, truncated, actors = rows });
    }

    private static void Visit(IActorRef actor, int level, int maxDepth, List<Row> rows)
    {
        if (rows.Count >= MaxRows)
        {
            return;
        }

        var cell = actor as ActorRefWithCell;
        var children = cell?.Children.OrderBy(c => c.Path.Name, StringComparer.Ordinal).ToList() ?? [];
        var type = cell?.Underlying.Props.Type?.Name ?? actor.GetType().Name;
        rows.Add(new Row(actor.Path.ToStringWithoutAddress(), type, level, children.Count));
        if (level >= maxDepth)
        {
            return;
        }

        foreach (var child in children.Take(MaxChildrenShown))
        {
            Visit(child, level + 1, maxDepth, rows);
        }

        if (children.Count > MaxChildrenShown && rows.Count < MaxRows)
        {
            rows.Add(new Row($"{actor.Path.ToStringWithoutAddress()}/... ({children.Count - MaxChildrenShown} more)", string.Empty, level + 1, 0));
        }
    }

    private sealed record Row(string Path, string Type, int Depth, int Children);
}
