using System.Data.Common;
using Akka.Actor;
using Akka.Persistence;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Tests.Support;
using LinqToDB.Interceptors;
using Xunit;

namespace AkkaGame.Node.Tests.Durability;

/// <summary>
/// The SQLite journal groups events written at the same time into one transaction
/// (SqliteJournalBatching). Without it Microsoft.Data.Sqlite's synchronous "async" calls made
/// Akka.Persistence.Sql commit one event per transaction, and a burst of logins queued behind
/// hundreds of commits.
/// </summary>
public sealed class SqliteJournalBatchingTests
{
    private const int Writers = 200;

    [Fact]
    public async Task Events_persisted_at_once_by_many_entities_share_transactions_and_are_all_stored()
    {
        var config = TestConfig.Node(TestConfig.NewDataDir());
        var opens = new CountingOpens();
        var setup = GameNode.Setup(config);
        var batching = Persistence.PersistenceConnections.Setup(config, opens);
        Assert.NotNull(batching);
        using var system = ActorSystem.Create("batching", setup.And(batching));

        var writers = Enumerable.Range(0, Writers)
            .Select(i => system.ActorOf(Props.Create(() => new Writer($"batching-{i}")), $"writer-{i}"))
            .ToList();

        // Every writer recovered (the journal's reads open connections too), then count from zero.
        await Task.WhenAll(writers.Select(w => w.Ask<long>(Writer.Read.Instance, TimeSpan.FromSeconds(30))));
        opens.Reset();

        var stored = await Task.WhenAll(writers.Select(w => w.Ask<long>(new Writer.Add(7), TimeSpan.FromSeconds(30))));
        Assert.All(stored, total => Assert.Equal(7, total));

        // Each journal write opens one connection for its transaction. One per event was the bug.
        Assert.InRange(opens.Count, 1, Writers / 4);

        // And every acknowledged event is in the journal: a second system recovers the totals.
        await system.Terminate();
        using var again = ActorSystem.Create("batching-again", GameNode.Setup(config));
        var recovered = await Task.WhenAll(Enumerable.Range(0, Writers)
            .Select(i => again.ActorOf(Props.Create(() => new Writer($"batching-{i}"))).Ask<long>(Writer.Read.Instance, TimeSpan.FromSeconds(30))));
        Assert.All(recovered, total => Assert.Equal(7, total));
    }

    /// <summary>A persistent actor that journals every addition and answers with its total after the write.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        private long _total;

        public Writer(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<long>(amount => _total += amount);
            Command<Read>(_ => Sender.Tell(_total));
            Command<Add>(add => Persist(add.Amount, amount =>
            {
                _total += amount;
                Sender.Tell(_total);
            }));
        }

        public override string PersistenceId { get; }

        public sealed record Add(long Amount);

        public sealed class Read
        {
            public static readonly Read Instance = new();
        }
    }

    private sealed class CountingOpens : IConnectionInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public void ConnectionOpening(ConnectionEventData eventData, DbConnection connection)
        {
        }

        public Task ConnectionOpeningAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

        public void ConnectionOpened(ConnectionEventData eventData, DbConnection connection) => Interlocked.Increment(ref _count);

        public Task ConnectionOpenedAsync(ConnectionEventData eventData, DbConnection connection, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return Task.CompletedTask;
        }
    }
}
