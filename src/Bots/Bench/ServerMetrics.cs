using System.Globalization;
using System.Text.Json.Nodes;

namespace AkkaGame.Bots.Bench;

/// <summary>
/// The server's own view of its sectors at the end of the measured window, read from the
/// Prometheus text of AkkaGame's <c>/metrics</c> (docs/metrics.md): the slowest sector's tick
/// p99 and the lowest time dilation. The peers have no such endpoint; their rows stay empty.
/// </summary>
internal static class ServerMetrics
{
    private const string TickP99 = "akkagame_sector_tick_p99_seconds";
    private const string TimeDilation = "akkagame_sector_time_dilation";

    public static async Task<JsonObject?> ScrapeAsync(IReadOnlyList<string> urls, CancellationToken ct)
    {
        if (urls.Count == 0)
        {
            return null;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        double? tickP99 = null;
        var dilation = 1.0;
        var scraped = 0;
        foreach (var url in urls)
        {
            string text;
            try
            {
                text = await http.GetStringAsync(new Uri(url), ct);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Console.Error.WriteLine($"metrics: {url}: {ex.Message}");
                continue;
            }

            scraped++;
            foreach (var (name, value) in Samples(text))
            {
                switch (name)
                {
                    case TickP99:
                        tickP99 = Math.Max(tickP99 ?? 0, value);
                        break;
                    case TimeDilation:
                        dilation = Math.Min(dilation, value);
                        break;
                    default:
                        break;
                }
            }
        }

        return scraped == 0 ? null : new JsonObject
        {
            ["slowest_sector_tick_p99_ms"] = tickP99 is { } p ? Math.Round(p * 1000, 2) : null,
            ["lowest_time_dilation"] = Math.Round(dilation, 2),
        };
    }

    /// <summary>Metric name (without labels) and value of each sample line of a Prometheus text page.</summary>
    public static IEnumerable<(string Name, double Value)> Samples(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var nameEnd = brace >= 0 && brace < space ? brace : line.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || nameEnd <= 0
                || !double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            yield return (line[..nameEnd], value);
        }
    }
}
