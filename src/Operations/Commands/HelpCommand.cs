using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary><c>help [GROUP...]</c>: every command of this node, or those under a group like "cluster".</summary>
public static class HelpCommand
{
    public static IOpsCommand Create() => new OpsCommand(
        "help",
        "[GROUP...]",
        "lists commands; 'help cluster' lists the cluster commands",
        ctx =>
        {
            var prefix = ctx.Args.Positional;
            var commands = ctx.Registry.Under(prefix);
            if (commands.Count == 0)
            {
                throw new OpsUsageException($"no commands under '{string.Join(' ', prefix)}'; try 'help'");
            }

            var table = OpsTable.Of(
                ["COMMAND", "DESCRIPTION"],
                commands.Select(c => (IReadOnlyList<string>)[OpsCommand.UsageOf(c), c.Help]));
            return Task.FromResult(OpsReply.Success(
                table,
                "usage: akkagame-ops HOST:PORT COMMAND... (--json for scripts)",
                commands.Select(c => new { command = string.Join(' ', c.Path), usage = OpsCommand.UsageOf(c), help = c.Help }).ToList()));
        });
}
