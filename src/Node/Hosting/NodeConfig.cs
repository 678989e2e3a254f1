using Akka.Configuration;
using Akka.Persistence.Sql;
using AkkaGame.Game.Configuration;
using AkkaGame.Operations.Configuration;

namespace AkkaGame.Node.Hosting;

/// <summary>
/// Layers the node's configuration: built-in HOCON files (hocon/), then the persistence
/// profile, then an optional --config file, then options and environment, which win.
/// </summary>
public static class NodeConfig
{
    public const string DefaultDataDir = "data";

    public static Config Build(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var provider = (options["db-provider"] ?? "sqlite").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException($"--db-provider must be sqlite or postgres, not '{provider}'");
        }

        var dataDir = Path.GetFullPath(options["data-dir"] ?? DefaultDataDir);
        var connection = options["db"] ?? (provider == "sqlite"
            ? $"Data Source={Path.Combine(dataDir, "akkagame.db")}"
            : throw new ArgumentException("--db-provider postgres needs --db with a connection string"));

        var overrides = new List<(string Path, object Value)>
        {
            ("akkagame.data-dir", dataDir),
            ("akkagame.db-provider", provider),
            ("akka.persistence.journal.sql.connection-string", connection),
            ("akka.persistence.snapshot-store.sql.connection-string", provider == "sqlite" ? SnapshotDatabase(connection) : connection),
        };
        Map(options, "game-host", "akkagame.gateway.host", overrides);
        Map(options, "game-port", "akkagame.gateway.port", overrides, int.Parse);
        Map(options, "auth-secret", "akkagame.auth.secret", overrides);
        Map(options, "allow-guests", "akkagame.auth.allow-guests", overrides, bool.Parse);
        Map(options, "akka-host", "akka.remote.dot-netty.tcp.hostname", overrides);
        Map(options, "akka-port", "akka.remote.dot-netty.tcp.port", overrides, int.Parse);
        Map(options, "ops-host", "akkagame.ops.host", overrides);
        Map(options, "ops-port", "akkagame.ops.port", overrides, int.Parse);
        Map(options, "ops-secret", "akkagame.ops.secret", overrides);
        Map(options, "ws-host", "akkagame.websocket.host", overrides);
        Map(options, "ws-port", "akkagame.websocket.port", overrides, int.Parse);
        Map(options, "http-host", "akkagame.http.host", overrides);
        Map(options, "http-port", "akkagame.http.port", overrides, int.Parse);
        if (options["seeds"] is { } seeds)
        {
            overrides.Add(("akka.cluster.seed-nodes", seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));

            // A cluster: every node must verify every other node's tokens, so the secret must be
            // shared (a generated per-node one would break resume across nodes); and guests are
            // refused unless explicitly allowed (PROTOCOL.md, Authentication).
            if (options["auth-secret"] is null)
            {
                throw new ArgumentException("a node joining a cluster (--seeds) needs --auth-secret, the same on every node");
            }

            if (options["allow-guests"] is null)
            {
                overrides.Add(("akkagame.auth.allow-guests", false));
            }
        }

        var config = ConfigLayers.FromValues(overrides);
        if (options["config"] is { } extra)
        {
            config = config.WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(extra)));
        }

        return config
            .WithFallback(ConfigLayers.Load($"persistence-{provider}.conf"))
            .WithFallback(ConfigurationFactory.ParseString(GameConf.DefaultsText))
            .WithFallback(ConfigLayers.Load("ops.conf"))
            .WithFallback(ConfigLayers.Load("http.conf"))
            .WithFallback(ConfigLayers.Load("cluster.conf"))
            .WithFallback(ConfigLayers.Load("serialization.conf"))
            .WithFallback(ConfigLayers.Load("akka.conf"))
            .WithFallback(SqlPersistence.DefaultConfiguration);
    }

    /// <summary>
    /// On SQLite the snapshot store gets a database file of its own beside the journal's
    /// (akkagame.db -> akkagame-snapshots.db). SQLite has one writer per file, and
    /// Microsoft.Data.Sqlite waits 150 ms before it retries a write that found the file busy
    /// (dotnet/efcore#36658): sectors snapshotting every 5 s into the journal's file put that
    /// wait on credits and jumps (mine->Credits p99 75-140 ms; 10 ms with snapshots a minute
    /// apart). Nothing needs both in one transaction: a snapshot only shortens a replay.
    /// </summary>
    public static string SnapshotDatabase(string journalConnection)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(journalConnection);
        var source = builder.DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:" || builder.Mode == Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            return journalConnection;
        }

        var extension = Path.GetExtension(source);
        builder.DataSource = source[..^extension.Length] + "-snapshots" + extension;
        return builder.ToString();
    }

    private static void Map<T>(NodeOptions options, string option, string path, List<(string, object)> into, Func<string, T> parse)
        where T : notnull
    {
        if (options[option] is { } raw)
        {
            try
            {
                into.Add((path, parse(raw)));
            }
            catch (FormatException)
            {
                throw new ArgumentException($"--{option}: '{raw}' is not a valid {typeof(T).Name}");
            }
        }
    }

    private static void Map(NodeOptions options, string option, string path, List<(string, object)> into) =>
        Map(options, option, path, into, s => s);
}
