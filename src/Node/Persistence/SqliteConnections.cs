using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// How the node's SQLite journal and snapshot store connect (Akka.Persistence.Sql takes linq2db
/// options per plugin through <see cref="MultiDataOptionsSetup"/>):
/// <list type="bullet">
/// <item>both use <see cref="SqliteStatementCache"/>, so each query's SQL is built once;</item>
/// <item>the journal's connections also yield before they open (<see cref="SqliteJournalBatching"/>),
/// so events written at the same time share a transaction.</item>
/// </list>
/// Other databases get nothing here: their drivers are asynchronous, and their providers are
/// linq2db's own.
/// </summary>
public static class SqliteConnections
{
    /// <summary>The journal plugin (the one hocon/persistence-sqlite.conf configures).</summary>
    public const string JournalPluginId = "akka.persistence.journal.sql";

    /// <summary>The snapshot store plugin.</summary>
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";

    /// <summary>
    /// The setup to add to the node's actor system, or null when neither plugin is on SQLite.
    /// <paramref name="observers"/> go on the journal's connections (tests count its transactions).
    /// </summary>
    public static MultiDataOptionsSetup? Setup(Config config, params IInterceptor[] observers)
    {
        ArgumentNullException.ThrowIfNull(config);
        var setup = new MultiDataOptionsSetup();
        var any = false;
        if (OptionsFor(config, JournalPluginId) is { } journal)
        {
            setup.AddDataOptions(JournalPluginId, journal.UseInterceptors([new SqliteJournalBatching(), .. observers]));
            any = true;
        }

        if (OptionsFor(config, SnapshotPluginId) is { } snapshots)
        {
            setup.AddDataOptions(SnapshotPluginId, snapshots);
            any = true;
        }

        return any ? setup : null;
    }

    private static DataOptions? OptionsFor(Config config, string pluginId)
    {
        var plugin = config.GetConfig(pluginId);
        var provider = plugin?.GetString("provider-name") ?? string.Empty;
        if (!provider.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var connectionString = plugin!.GetString("connection-string");
        return provider == ProviderName.SQLiteMS
            ? SqliteStatementCache.Options(connectionString)
            : new DataOptions().UseConnectionString(provider, connectionString);
    }
}
