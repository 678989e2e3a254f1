namespace AkkaGame.Node.Hosting;

/// <summary>
/// Command-line options of the node, each also an environment variable: --game-port is
/// AKKAGAME_GAME_PORT. Operators and tools script against these names; keep them.
/// </summary>
public sealed class NodeOptions
{
    /// <summary>Every option the node takes, with what it means; the help text is built from this.</summary>
    public static readonly IReadOnlyDictionary<string, string> Known = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["game-host"] = "address game clients connect to (default 127.0.0.1)",
        ["game-port"] = "port game clients connect to (default 7777; 0 picks a free one)",
        ["data-dir"] = "where the SQLite database and the generated auth secret live (default ./data)",
        ["db-provider"] = "sqlite (default) or postgres",
        ["db"] = "connection string; default for sqlite: Data Source=<data-dir>/akkagame.db",
        ["auth-secret"] = "HMAC-SHA256 secret for tokens (default: generated into <data-dir>/auth.secret)",
        ["allow-guests"] = "true|false: allow guest logins (default true)",
        ["akka-host"] = "address for cluster traffic (default 127.0.0.1)",
        ["akka-port"] = "port for cluster traffic (default 0: any free port)",
        ["seeds"] = "comma-separated seed nodes, akka.tcp://akkagame@host:port; none: form a one-node cluster",
        ["config"] = "an extra HOCON file layered over the built-in ones",
        ["ops-host"] = "address of the operator endpoint (default 127.0.0.1; any other needs --ops-secret)",
        ["ops-port"] = "port of the operator endpoint for akkagame-ops (default 9110; 0 picks a free one)",
        ["ops-secret"] = "secret operators must send (default none; required off loopback)",
    };

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public string? this[string name] => _values.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Reads environment variables first, then the command line, which wins.</summary>
    public static NodeOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new NodeOptions();
        foreach (var name in Known.Keys)
        {
            if (environment(EnvironmentName(name)) is { Length: > 0 } value)
            {
                options._values[name] = value;
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{arg}'");
            }

            var name = arg[2..];
            string value;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new ArgumentException($"option --{name} needs a value");
            }

            if (!Known.ContainsKey(name))
            {
                throw new ArgumentException($"unknown option --{name}; see --help");
            }

            options._values[name] = value;
        }

        return options;
    }

    public static string EnvironmentName(string option) => "AKKAGAME_" + option.Replace('-', '_').ToUpperInvariant();

    public static string Help() =>
        string.Join(Environment.NewLine, Known.Select(kv => $"  --{kv.Key,-14} {kv.Value}  [{EnvironmentName(kv.Key)}]"));
}
