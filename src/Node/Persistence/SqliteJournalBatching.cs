using System.Data.Common;
using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using LinqToDB.Interceptors;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// Lets the SQLite journal group concurrent events into one transaction, as it does on
/// PostgreSQL.
/// <para>
/// Akka.Persistence.Sql queues every write and batches what is queued while the previous
/// batch is being written (BaseByteArrayJournalDao: a queue, then BatchWeighted up to
/// <c>batch-size</c>, then SelectAsync with <c>parallelism</c> writes in flight). Microsoft.Data.Sqlite
/// has no asynchronous I/O: its "async" calls run to completion before they return, so the
/// journal's write ran inline in the stream stage, the stage took the next queued event only
/// when that write was done, and nothing was ever batched. Seen under a burst of 200 first
/// logins: 202 syncs of the WAL file for 200 registrations, one transaction per event, each
/// login waiting behind all the commits before it (a median 288 ms to Welcome, against 19 ms
/// on PostgreSQL).
/// </para>
/// <para>
/// The fix: the journal's connection yields before it opens, so the write continues on the
/// thread pool and the stage keeps queueing; the next write takes everything that queued
/// meanwhile, in one transaction. Durability is unchanged: each batch is committed (and
/// synced, <c>synchronous</c> as configured) before any of its writers is answered.
/// </para>
/// </summary>
public static class SqliteJournalBatching
{
    /// <summary>The journal plugin whose connections yield (the one hocon/persistence-sqlite.conf configures).</summary>
    public const string JournalPluginId = "akka.persistence.journal.sql";

    /// <summary>
    /// The setup to add to the node's actor system: for a SQLite journal, its connection options
    /// with the yield (and any <paramref name="observers"/>, which tests use to count the journal's
    /// transactions); none for any other database, whose drivers are asynchronous already.
    /// </summary>
    public static MultiDataOptionsSetup? Setup(Config config, params IInterceptor[] observers)
    {
        ArgumentNullException.ThrowIfNull(config);
        var journal = config.GetConfig(JournalPluginId);
        var provider = journal.GetString("provider-name");
        if (!provider.StartsWith("SQLite", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var setup = new MultiDataOptionsSetup();
        setup.AddDataOptions(JournalPluginId, new DataOptions()
            .UseConnectionString(provider, journal.GetString("connection-string"))
            .UseInterceptors([new YieldBeforeOpening(), .. observers]));
        return setup;
    }

    /// <summary>Makes an asynchronous open return before the connection opens.</summary>
    internal sealed class YieldBeforeOpening : IConnectionInterceptor
    {
        public void ConnectionOpening(ConnectionEventData eventData, DbConnection connection)
        {
        }

        public async Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
            await Task.Yield();

        public void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
        {
        }

        public Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }
}
