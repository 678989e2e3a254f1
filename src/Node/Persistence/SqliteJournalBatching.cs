using System.Data.Common;
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
/// <remarks>Installed on the journal's connections by <see cref="PersistenceConnections"/>.</remarks>
public sealed class SqliteJournalBatching : IConnectionInterceptor
{
    public void ConnectionOpening(ConnectionEventData eventData, DbConnection connection)
    {
    }

    /// <summary>Returns before the connection opens: the rest of the write runs on the thread pool.</summary>
    public async Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
        await Task.Yield();

    public void ConnectionOpened(ConnectionEventData eventData, DbConnection connection)
    {
    }

    public Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}
