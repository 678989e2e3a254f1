using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.DataProvider;
using LinqToDB.Interceptors;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// How the node's journal and snapshot store connect (Akka.Persistence.Sql takes linq2db options
/// per plugin through <see cref="MultiDataOptionsSetup"/>):
/// <list type="bullet">
/// <item>on SQLite ("SQLite.MS") and PostgreSQL ("PostgreSQL.15"), the providers of
/// <see cref="StatementCache"/>, which build each query's SQL once;</item>
/// <item>on SQLite, the journal's connections also yield before they open
/// (<see cref="SqliteJournalBatching"/>), so events written at the same time share a transaction.</item>
/// </list>
/// Any other provider name is left to linq2db as configured.
/// </summary>
public static class PersistenceConnections
{
    /// <summary>The journal plugin (the one hocon/persistence-*.conf configure).</summary>
    public const string JournalPluginId = "akka.persistence.journal.sql";

    /// <summary>The snapshot store plugin.</summary>
    public const string SnapshotPluginId = "akka.persistence.snapshot-store.sql";

    /// <summary>
    /// The setup to add to the node's actor system, or null when neither plugin uses a provider
    /// named above. <paramref name="journalObservers"/> go on the journal's connections (tests
    /// count its transactions).
    /// </summary>
    public static MultiDataOptionsSetup? Setup(Config config, params IInterceptor[] journalObservers)
    {
        ArgumentNullException.ThrowIfNull(config);
        var setup = new MultiDataOptionsSetup();
        var any = false;
        if (OptionsFor(config, JournalPluginId) is { } journal)
        {
            var batching = journal.ConnectionOptions.DataProvider is SqliteStatementCache ? [new SqliteJournalBatching()] : Array.Empty<IInterceptor>();
            setup.AddDataOptions(JournalPluginId, journal.UseInterceptors([.. batching, .. journalObservers]));
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
        IDataProvider? provider = plugin?.GetString("provider-name") switch
        {
            ProviderName.SQLiteMS => SqliteStatementCache.Instance,
            ProviderName.PostgreSQL15 => PostgresStatementCache.Instance,
            _ => null,
        };
        return provider is null ? null : StatementCache.Options(provider, plugin!.GetString("connection-string"));
    }
}
