using System.CommandLine;
using AkkaGame.CommandLine;
using AkkaGame.Game.Configuration;

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
        ["game-host"] = $"address game clients connect to (default {GameConf.Defaults.Gateway.Host})",
        ["game-port"] = $"port game clients connect to (default {GameConf.Defaults.Gateway.Port}; 0 picks a free one)",
        ["data-dir"] = "where the SQLite database and the generated auth secret live (default ./data)",
        ["db-provider"] = "sqlite (default) or postgres",
        ["db"] = "connection string; default for sqlite: Data Source=<data-dir>/akkagame.db (snapshots beside it in akkagame-snapshots.db)",
        ["auth-secret"] = "HMAC-SHA256 secret for tokens (default: generated into <data-dir>/auth.secret)",
        ["allow-guests"] = $"true|false: allow guest logins (default {(GameConf.Defaults.Auth.AllowGuests ? "true" : "false")}; false when --seeds is given without it)",
        ["akka-host"] = "address for cluster traffic (default 127.0.0.1)",
        ["akka-port"] = "port for cluster traffic (default 0: any free port)",
        ["seeds"] = "comma-separated seed nodes, akka.tcp://akkagame@host:port; none: form a one-node cluster",
        ["config"] = "an extra HOCON file layered over the built-in ones",
        ["ops-host"] = "address of the operator endpoint (default 127.0.0.1; any other needs --ops-secret)",
        ["ops-port"] = "port of the operator endpoint for akkagame-ops (default 9110; 0 picks a free one)",
        ["ops-secret"] = "secret operators must send (default none; required off loopback, where the dashboard asks for it too)",
        ["ws-host"] = "address browsers connect to: the game over WebSocket and the page to play it (default: --game-host)",
        ["ws-port"] = "port of the WebSocket gateway and the play page (default 7780; 0 picks a free one)",
        ["http-host"] = "address of the HTTP endpoint: dashboard, /metrics, /health/live, /health/ready (default 127.0.0.1)",
        ["http-port"] = "port of the HTTP endpoint (default 8080; 0 picks a free one)",
    };

    private readonly Dictionary<string, string> _values;

    private NodeOptions(Dictionary<string, string> values) => _values = values;

    public string? this[string name] => _values.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The options that are secrets: read from their variables only when used, never shown by --help.</summary>
    private static readonly HashSet<string> Secrets = ["auth-secret", "ops-secret"];

    /// <summary>
    /// The options as System.CommandLine options, each falling back to its environment variable
    /// (the command line wins). Values are checked where they are used (<see cref="NodeConfig"/>).
    /// </summary>
    public static Definition Define(Func<string, string?> environment) => new(new Options(environment));

    /// <summary>Parses the node's options alone (tests and tools); throws <see cref="ArgumentException"/> on a bad line.</summary>
    public static NodeOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var definition = Define(environment);
        var command = new RootCommand();
        definition.AddTo(command);
        return definition.Read(CommandRunner.ParseOrThrow(command, args));
    }

    /// <summary>The node's options on a command, and how to read them back from a parse.</summary>
    public sealed class Definition
    {
        private readonly Options _factory;
        private readonly Dictionary<string, Option<string?>> _options;

        internal Definition(Options factory)
        {
            _factory = factory;
            _options = Known.ToDictionary(
                kv => kv.Key,
                kv => Secrets.Contains(kv.Key) ? factory.Secret(kv.Key, kv.Value, EnvironmentName(kv.Key)) : factory.Text(kv.Key, kv.Value, EnvironmentName(kv.Key)),
                StringComparer.Ordinal);
        }

        public void AddTo(Command command)
        {
            ArgumentNullException.ThrowIfNull(command);
            foreach (var option in _options.Values)
            {
                command.Options.Add(option);
            }
        }

        /// <summary>The values a parsed command line (and the environment) gave.</summary>
        public NodeOptions Read(ParseResult parsed)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, option) in _options)
            {
                var value = Secrets.Contains(name) ? _factory.SecretValue(parsed, option) : parsed.GetValue(option);
                if (value is { Length: > 0 })
                {
                    values[name] = value;
                }
            }

            return new NodeOptions(values);
        }
    }

    public static string EnvironmentName(string option) => "AKKAGAME_" + option.Replace('-', '_').ToUpperInvariant();
}
