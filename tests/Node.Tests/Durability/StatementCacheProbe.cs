using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;
using LinqToDB.Metrics;
using Xunit;

namespace AkkaGame.Node.Tests.Durability;

/// <summary>
/// Runs the shapes of Akka.Persistence.Sql's queries (a snapshot load, the highest sequence
/// number, a write) for many persistence ids on a database, checks every answer, and counts the
/// SQL texts linq2db built meanwhile (its BuildSql activity). Shared by the SQLite tests here and
/// the PostgreSQL ones in tests/Chaos.Tests (linked there).
/// </summary>
public static class StatementCacheProbe
{
    public const int Ids = 40;

    /// <summary>Counts linq2db's SQL builds on the probe's own flow only (tests run in parallel).</summary>
    private static readonly AsyncLocal<Counter?> Counting = new();

#pragma warning disable CA1810 // the factory must be added once, before any probe runs
    static StatementCacheProbe() =>
#pragma warning restore CA1810
        ActivityService.AddFactory(id =>
        {
            if (id == ActivityID.BuildSql && Counting.Value is { } counter)
            {
                Interlocked.Increment(ref counter.Builds);
            }

            return null;
        });

    /// <summary>Writes and reads rows of <see cref="Ids"/> persistence ids; checks every answer; returns the SQL builds counted.</summary>
    public static async Task<int> RunQueriesAsync(DataOptions options)
    {
        await using (var setup = new DataConnection(options))
        {
            await setup.DropTableAsync<Row>(throwExceptionIfNotExists: false);
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
