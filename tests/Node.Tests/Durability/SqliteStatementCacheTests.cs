using AkkaGame.Node.Persistence;
using AkkaGame.Node.Tests.Support;
using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;
using LinqToDB.Metrics;
using Xunit;

namespace AkkaGame.Node.Tests.Durability;

/// <summary>
/// The node's SQLite connections build each query's SQL once (<see cref="SqliteStatementCache"/>),
/// where linq2db 6.5.1 as shipped builds it again on every execution of a query with a string
/// parameter: the shapes of Akka.Persistence.Sql's queries (a snapshot load, the highest sequence
/// number, a write), run with many persistence ids, and counted by linq2db's own BuildSql activity.
/// </summary>
public sealed class SqliteStatementCacheTests
{
    private const int Ids = 40;

    /// <summary>Counts linq2db's SQL builds on this test's own flow only (tests run in parallel).</summary>
    private static readonly AsyncLocal<Counter?> Counting = new();

    static SqliteStatementCacheTests() =>
        ActivityService.AddFactory(id =>
        {
            if (id == ActivityID.BuildSql && Counting.Value is { } counter)
            {
                Interlocked.Increment(ref counter.Builds);
            }

            return null;
        });

    [Fact]
    public async Task Queries_with_a_string_parameter_build_their_sql_once_and_answer_for_every_id()
    {
        var builds = await RunQueriesAsync(SqliteStatementCache.Options(NewDatabase()));

        // Once per query shape (three), not once per execution (3 × 40).
        Assert.InRange(builds, 1, 6);
    }

    [Fact]
    public async Task Linq2db_as_shipped_builds_the_sql_again_on_every_execution()
    {
        // What the cache is for: without it the same queries build their SQL each time.
        var builds = await RunQueriesAsync(new DataOptions().UseConnectionString(ProviderName.SQLiteMS, NewDatabase()));

        Assert.True(builds >= 2 * Ids, $"{builds} SQL builds for {3 * Ids} executions");
    }

    private static string NewDatabase() => $"Data Source={Path.Combine(TestConfig.NewDataDir(), "cache.db")}";

    /// <summary>Writes and reads rows of <see cref="Ids"/> persistence ids; checks every answer; returns the SQL builds counted.</summary>
    private static async Task<int> RunQueriesAsync(DataOptions options)
    {
        await using (var setup = new DataConnection(options))
        {
            await setup.CreateTableAsync<Row>();
        }

        var counter = new Counter();
        Counting.Value = counter;
        try
        {
            for (var i = 0; i < Ids; i++)
            {
                var id = "player-" + i;
                await using var db = new DataConnection(options);

                // Nothing stored yet: the load and the highest sequence number of a new entity.
                Assert.Null(await db.GetTable<Row>().Where(r => r.PersistenceId == id).OrderByDescending(r => r.SequenceNr).FirstOrDefaultAsync());
                Assert.Null(await db.GetTable<Row>().Where(r => r.PersistenceId == id).Select(r => (long?)r.SequenceNr).MaxAsync());

                // A write with a null in a nullable column, then both reads see it.
                await db.InsertAsync(new Row { PersistenceId = id, SequenceNr = i + 1, Payload = [(byte)i], Serializer = i % 2 == 0 ? null : 7 });
                var row = await db.GetTable<Row>().Where(r => r.PersistenceId == id).OrderByDescending(r => r.SequenceNr).FirstOrDefaultAsync();
                Assert.NotNull(row);
                Assert.Equal(i + 1, row.SequenceNr);
                Assert.Equal([(byte)i], row.Payload);
                Assert.Equal(i % 2 == 0 ? null : 7, row.Serializer);
                Assert.Equal(i + 1, await db.GetTable<Row>().Where(r => r.PersistenceId == id).Select(r => (long?)r.SequenceNr).MaxAsync());
            }
        }
        finally
        {
            Counting.Value = null;
        }

        return counter.Builds;
    }

    private sealed class Counter
    {
#pragma warning disable SA1401 // a field, for Interlocked
        public int Builds;
#pragma warning restore SA1401
    }

    [Table("snapshot_like")]
    private sealed class Row
    {
        [Column("persistence_id", CanBeNull = false)]
        [PrimaryKey(0)]
        public string PersistenceId { get; set; } = string.Empty;

        [Column("sequence_nr")]
        [PrimaryKey(1)]
        public long SequenceNr { get; set; }

        [Column("payload", CanBeNull = false)]
        public byte[] Payload { get; set; } = [];

        [Column("serializer_id")]
        public int? Serializer { get; set; }
    }
}
