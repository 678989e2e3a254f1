using System.Text.Json;
using System.Text.Json.Serialization;

namespace AkkaGame.Operations.Protocol;

/// <summary>One JSON convention for both ends of the operator protocol: camelCase, nulls left out.</summary>
public static class OpsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>For printing data to people and scripts: the same names, indented.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };
}
