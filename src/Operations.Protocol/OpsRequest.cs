using System.Text.Json;

namespace AkkaGame.Operations.Protocol;

/// <summary>
/// One request line: <c>{"id":1,"secret":"...","args":["cluster","show"],"json":true}</c>.
/// <paramref name="Json"/> asks for data only: the endpoint leaves out the table and text.
/// </summary>
public sealed record OpsRequest(long Id, string? Secret, IReadOnlyList<string> Args, bool Json)
{
    public string ToJsonLine() => JsonSerializer.Serialize(this, OpsJson.Options);

    /// <summary>Reads a request line, with an error message a person can act on when it is not one.</summary>
    public static bool TryParse(string line, out OpsRequest request, out long id, out string error)
    {
        request = null!;
        id = 0;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException e)
        {
            error = "malformed request: not JSON (" + e.Message + ")";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "malformed request: expected a JSON object like {\"id\":1,\"args\":[\"help\"]}";
                return false;
            }

            if (root.TryGetProperty("id", out var idElement) && (idElement.ValueKind != JsonValueKind.Number || !idElement.TryGetInt64(out id)))
            {
                error = "malformed request: \"id\" must be an integer";
                return false;
            }

            string? secret = null;
            if (root.TryGetProperty("secret", out var secretElement) && secretElement.ValueKind != JsonValueKind.Null)
            {
                if (secretElement.ValueKind != JsonValueKind.String)
                {
                    error = "malformed request: \"secret\" must be a string";
                    return false;
                }

                secret = secretElement.GetString();
            }

            if (!root.TryGetProperty("args", out var argsElement) || argsElement.ValueKind != JsonValueKind.Array)
            {
                error = "malformed request: \"args\" must be an array of strings, e.g. [\"cluster\",\"show\"]";
                return false;
            }

            var args = new List<string>();
            foreach (var arg in argsElement.EnumerateArray())
            {
                if (arg.ValueKind != JsonValueKind.String)
                {
                    error = "malformed request: every element of \"args\" must be a string";
                    return false;
                }

                args.Add(arg.GetString()!);
            }

            var json = root.TryGetProperty("json", out var jsonElement) && jsonElement.ValueKind == JsonValueKind.True;
            request = new OpsRequest(id, secret, args, json);
            error = string.Empty;
            return true;
        }
    }
}
