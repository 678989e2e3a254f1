using AkkaGame.Operations.Logging;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary><c>log peek [N]</c>: this node's last N log lines, from the RecentLogLines logger.</summary>
public static class LogPeekCommand
{
    public static IOpsCommand Create() => new OpsCommand(
        "log peek",
        "[N]",
        "this node's last N log lines (default 50)",
        ctx =>
        {
            ctx.Args.Expect(0, 1);
            var n = ctx.Args.Int(0, 50, 1, 10_000);
            var lines = RecentLogs.Get(ctx.System).Last(n);
            var table = OpsTable.Of(
                ["TIME", "LEVEL", "SOURCE", "MESSAGE"],
                lines.Select(l => (IReadOnlyList<string>)[l.Time.ToString("yyyy-MM-dd HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture), l.Level, l.Source, l.Message]));
            return Task.FromResult(OpsReply.Success(table, lines.Count == 0 ? "no log lines yet" : null, lines));
        });
}
