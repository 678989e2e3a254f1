using System.Text.Json;
using Akka.Configuration;

namespace AkkaGame.Operations.Configuration;

/// <summary>
/// How every AkkaGame process (game node, lighthouse) builds its configuration: typed values
/// from its options, over the HOCON files shipped beside it in hocon/. One place, so neither
/// writes HOCON text by hand.
/// </summary>
public static class ConfigLayers
{
    public static string HoconDirectory => Path.Combine(AppContext.BaseDirectory, "hocon");

    /// <summary>One of the shipped HOCON files (hocon/akka.conf, cluster.conf, ...).</summary>
    public static Config Load(string file) => ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(HoconDirectory, file)));

    /// <summary>
    /// Typed values as configuration. Every value is written as a JSON literal (strings quoted and
    /// escaped, lists as arrays), which HOCON reads as-is, so no value can break out of its quotes.
    /// </summary>
    public static Config FromValues(IEnumerable<(string Path, object Value)> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var lines = values.Select(v => $"{v.Path} = {JsonSerializer.Serialize(v.Value)}");
        return ConfigurationFactory.ParseString(string.Join('\n', lines));
    }

    /// <summary>The values, then each file in order (earlier ones win).</summary>
    public static Config Layer(IEnumerable<(string Path, object Value)> values, params string[] files)
    {
        ArgumentNullException.ThrowIfNull(files);
        return files.Aggregate(FromValues(values), (config, file) => config.WithFallback(Load(file)));
    }
}
