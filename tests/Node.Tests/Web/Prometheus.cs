using System.Globalization;
using System.Text.RegularExpressions;

namespace AkkaGame.Node.Tests.Web;

/// <summary>A scrape of Prometheus text, by series ("name{label="v",...}", labels as written, without otel_scope_name).</summary>
public sealed partial class Prometheus
{
    private readonly Dictionary<string, double> _series;

    private Prometheus(Dictionary<string, double> series, string text)
    {
        _series = series;
        Text = text;
    }

    public string Text { get; }

    public static async Task<Prometheus> ScrapeAsync(HttpClient http, string url)
    {
        ArgumentNullException.ThrowIfNull(http);
        var text = await http.GetStringAsync(new Uri(url));
        var series = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            var key = ScopeLabel().Replace(line[..space], string.Empty).Replace("{}", string.Empty, StringComparison.Ordinal);
            series[key] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }

        return new Prometheus(series, text);
    }

    /// <summary>The value of one series, or 0 when it is not (yet) exported.</summary>
    public double this[string series] => _series.GetValueOrDefault(series);

    public bool Has(string series) => _series.ContainsKey(series);

    public IEnumerable<string> Names => _series.Keys.Select(k => k.Split('{')[0]).Distinct();

    [GeneratedRegex("otel_scope_name=\"[^\"]*\",?")]
    private static partial Regex ScopeLabel();
}
