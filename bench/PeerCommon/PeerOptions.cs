using System.CommandLine;
using AkkaGame.CommandLine;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// The peers' command line: the options the benchmark needs to vary, named as the node names them.
/// The auth secret may also come from AKKAGAME_AUTH_SECRET, like the node's; the command line wins.
/// </summary>
public static class PeerOptions
{
    public const string SecretVariable = "AKKAGAME_AUTH_SECRET";

    /// <summary>A peer's command; <paramref name="run"/> gets the settings (game.conf's rules with the options applied).</summary>
    public static RootCommand Command(string name, Func<string, string?> environment, Func<PeerSettings, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var defaults = new PeerSettings();
        var options = new Options(environment);
        var port = options.Port("port", "TCP port on 127.0.0.1 (0: any free port)", defaults.Port);
        var tickHz = options.Int("tick-hz", "sector ticks per second", defaults.World.TickHz, min: 1, max: 1000);
        var shipSpeed = options.Positive("ship-speed", "ship speed in units per second", defaults.World.ShipSpeed);
        var reconnectGrace = options.Duration("reconnect-grace", "how long a disconnected ship waits for its player", defaults.World.ReconnectGrace);
        var authSecret = options.Secret("auth-secret", "HMAC secret for tokens, at least 16 characters (default: random per run)", SecretVariable);
        var allowGuests = options.Bool("allow-guests", "allow guest logins", defaults.Session.AllowGuests);
        var store = options.Text("store", "sqlite: store registrations, credits, jumps and chat lines before answering, as the node does; memory: keep them in memory only", fallback: "sqlite");
        var dataDir = options.Text("data-dir", "folder of the sqlite store (default: a new temporary folder)");
        var root = new RootCommand($"{name}: a benchmark peer speaking the AkkaGame protocol with the same rules (hocon/game.conf).")
        {
            port, tickHz, shipSpeed, reconnectGrace, authSecret, allowGuests, store, dataDir,
        };
        root.SetAction((parsed, _) =>
        {
            var secret = options.SecretValue(parsed, authSecret);
            if (secret is { Length: < 16 })
            {
                throw new ArgumentException("--auth-secret must be at least 16 characters");
            }

            var storeDirectory = parsed.GetValue(store) switch
            {
                "memory" => null,
                "sqlite" => parsed.GetValue(dataDir) is { Length: > 0 } dir ? dir : Directory.CreateTempSubdirectory("akkagame-peer-").FullName,
                var other => throw new ArgumentException($"--store: '{other}' is not sqlite or memory"),
            };
            var settings = defaults with
            {
                StoreDirectory = storeDirectory,
                Port = parsed.GetValue(port),
                World = defaults.World with { TickHz = parsed.GetValue(tickHz), ShipSpeed = (float)parsed.GetValue(shipSpeed), ReconnectGrace = parsed.GetValue(reconnectGrace) },
                Session = defaults.Session with { AllowGuests = parsed.GetValue(allowGuests) },
            };
            return run(secret is null ? settings : settings with { AuthSecret = secret });
        });
        return root;
    }
}
