using AkkaGame.Node.Persistence;
using AkkaGame.Node.Tests.Durability;
using LinqToDB;
using Xunit;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// The cluster database's connections build each query's SQL once (<see cref="PostgresStatementCache"/>),
/// where linq2db 6.5.1 as shipped builds it again on every execution of a query with a string
/// parameter: the probe of tests/Node.Tests on a private PostgreSQL.
/// </summary>
public sealed class PostgresStatementCacheTests
{
    [Fact]
    public async Task On_postgres_queries_build_their_sql_once_where_linq2db_as_shipped_builds_it_each_time()
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkagame-chaos", "pg-cache-" + Guid.NewGuid().ToString("N")[..8]);
        await using var postgres = await PrivatePostgres.StartAsync(Path.Combine(dir, "pg"));

        var cached = await StatementCacheProbe.RunQueriesAsync(StatementCache.Options(PostgresStatementCache.Instance, postgres.ConnectionString));
        var shipped = await StatementCacheProbe.RunQueriesAsync(new DataOptions().UseConnectionString(ProviderName.PostgreSQL15, postgres.ConnectionString));

        Assert.InRange(cached, 1, 6);
        Assert.True(shipped >= 2 * StatementCacheProbe.Ids, $"{shipped} SQL builds for {3 * StatementCacheProbe.Ids} executions");
    }
}
