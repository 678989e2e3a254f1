namespace AkkaGame.Ops;

/// <summary>
/// The tool's own options, taken from anywhere on the line (no endpoint command uses these
/// names): --json, --secret S, --help. Everything else is the endpoint and the command.
/// </summary>
public sealed record CliArguments(HostPort? Endpoint, IReadOnlyList<string> Command, bool Json, string? Secret, bool Help)
{
    public static CliArguments Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var (words, json, secret, help) = TakeOptions(args);
        secret ??= environment("AKKAGAME_OPS_SECRET") is { Length: > 0 } s ? s : null;
        if (help || words.Count == 0)
        {
            return new CliArguments(null, [], json, secret, Help: true);
        }

        if (!HostPort.TryParse(words[0], out var endpoint))
        {
            throw new ArgumentException($"'{words[0]}' is not HOST:PORT (e.g. 127.0.0.1:9110)");
        }

        return new CliArguments(endpoint, words.Skip(1).ToList(), json, secret, Help: false);
    }

    /// <summary>Splits the tool's options from a command's words (also used for each interactive line).</summary>
    public static (List<string> Words, bool Json, string? Secret, bool Help) TakeOptions(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var words = new List<string>();
        var json = false;
        var help = false;
        string? secret = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--json":
                    json = true;
                    break;
                case "--secret":
                    secret = i + 1 < args.Count ? args[++i] : throw new ArgumentException("--secret needs a value");
                    break;
                case "--help" or "-h" when words.Count == 0:
                    help = true;
                    break;
                default:
                    words.Add(args[i]);
                    break;
            }
        }

        return (words, json, secret, help);
    }
}
