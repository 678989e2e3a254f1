using Akka.Actor;
using Akka.Event;

namespace AkkaGame.Operations.Logging;

/// <summary>One log line as <c>log peek</c> shows it.</summary>
public sealed record LogLine(DateTime Time, string Level, string Source, string Message);

/// <summary>
/// The last log lines of one actor system (akkagame.ops.recent-log-lines of them), filled by the
/// <see cref="RecentLogLines"/> logger. An extension, so each actor system in a process has its own.
/// </summary>
public sealed class RecentLogs : IExtension
{
    private readonly LogLine[] _lines;
    private readonly object _gate = new();
    private long _count;

    public RecentLogs(int capacity) => _lines = new LogLine[Math.Max(1, capacity)];

    public static RecentLogs Get(ActorSystem system) => system.WithExtension<RecentLogs, RecentLogsProvider>();

    public void Add(LogEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message?.ToString() ?? string.Empty;
        if (e.Cause is { } cause)
        {
            message += $" ({cause.GetType().Name}: {cause.Message})";
        }

        var line = new LogLine(e.Timestamp, e.LogLevel().ToString().Replace("Level", string.Empty, StringComparison.Ordinal).ToUpperInvariant(), e.LogSource ?? string.Empty, message);
        lock (_gate)
        {
            _lines[_count++ % _lines.Length] = line;
        }
    }

    /// <summary>The last <paramref name="n"/> lines, oldest first.</summary>
    public IReadOnlyList<LogLine> Last(int n)
    {
        lock (_gate)
        {
            var available = (int)Math.Min(_count, _lines.Length);
            var take = Math.Min(n, available);
            var result = new List<LogLine>(take);
            for (var i = _count - take; i < _count; i++)
            {
                result.Add(_lines[i % _lines.Length]);
            }

            return result;
        }
    }
}

public sealed class RecentLogsProvider : ExtensionIdProvider<RecentLogs>
{
    public override RecentLogs CreateExtension(ExtendedActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        return new RecentLogs(system.Settings.Config.GetInt("akkagame.ops.recent-log-lines", 500));
    }
}
