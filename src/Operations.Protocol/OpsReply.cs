using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AkkaGame.Operations.Protocol;

/// <summary>
/// One reply line: <c>{"id":1,"ok":true,"table":{...},"text":"...","data":...,"more":false}</c>,
/// or <c>{"id":1,"ok":false,"error":"...","exitCode":2,"more":false}</c>. Streaming commands send
/// lines with <c>"more":true</c> until the client goes.
/// </summary>
public sealed record OpsReply
{
    public long Id { get; init; }

    public bool Ok { get; init; }

    public OpsTable? Table { get; init; }

    public string? Text { get; init; }

    public JsonNode? Data { get; init; }

    public bool More { get; init; }

    public string? Error { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>Runs after this reply is written (never sent): a drain must answer before the node goes.</summary>
    [JsonIgnore]
    public Func<Task>? AfterSent { get; init; }

    public static OpsReply Success(OpsTable? table = null, string? text = null, object? data = null) => new()
    {
        Ok = true,
        Table = table,
        Text = text,
        Data = data is null ? null : JsonSerializer.SerializeToNode(data, OpsJson.Options),
    };

    public static OpsReply Failure(string error, int exitCode) => new() { Ok = false, Error = error, ExitCode = exitCode };

    public string ToJsonLine() => JsonSerializer.Serialize(this, OpsJson.Options);

    public static OpsReply? FromJsonLine(string line) => JsonSerializer.Deserialize<OpsReply>(line, OpsJson.Options);
}
