using AkkaGame.Node.Persistence;
using AkkaGame.Node.Tests.Support;
using LinqToDB;
using Xunit;

namespace AkkaGame.Node.Tests.Durability;

/// <summary>
/// The node's SQLite connections build each query's SQL once (<see cref="SqliteStatementCache"/>),
/// where linq2db 6.5.1 as shipped builds it again on every execution of a query with a string
/// parameter. Counted by <see cref="StatementCacheProbe"/>; tests/Chaos.Tests runs the same probe
/// on PostgreSQL.
/// </summary>
public sealed class StatementCacheTests
{
    [Fact]
    public async Task Queries_with_a_string_parameter_build_their_sql_once_and_answer_for_every_id()
    {
        var builds = await StatementCacheProbe.RunQueriesAsync(StatementCache.Options(SqliteStatementCache.Instance, NewDatabase()));

        // Once per query shape (three), not once per execution (3 × 40).
        Assert.InRange(builds, 1, 6);
    }

    [Fact]
    public async Task Linq2db_as_shipped_builds_the_sql_again_on_every_execution()
    {
        // What the cache is for: without it the same queries build their SQL each time.
        var builds = await StatementCacheProbe.RunQueriesAsync(new DataOptions().UseConnectionString(ProviderName.SQLiteMS, NewDatabase()));

        Assert.True(builds >= 2 * StatementCacheProbe.Ids, $"{builds} SQL builds for {3 * StatementCacheProbe.Ids} executions");
    }

    private static string NewDatabase() => $"Data Source={Path.Combine(TestConfig.NewDataDir(), "cache.db")}";
}
