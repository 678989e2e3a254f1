using LinqToDB;
using LinqToDB.DataProvider;
using LinqToDB.DataProvider.PostgreSQL;
using LinqToDB.DataProvider.SQLite;
using LinqToDB.Internal.DataProvider.PostgreSQL;
using LinqToDB.Internal.DataProvider.SQLite;
using LinqToDB.Internal.SqlProvider;
using LinqToDB.Internal.SqlQuery;
using LinqToDB.Mapping;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// The rule behind the node's linq2db providers (<see cref="SqliteStatementCache"/>,
/// <see cref="PostgresStatementCache"/>): a query parameter's value never changes a query's SQL
/// text, so linq2db builds each query's SQL once and keeps it.
/// <para>
/// Why: linq2db 6.5.1 counts every parameter of a reference or nullable type as something the
/// SQL text may depend on (<c>BasicSqlOptimizer.IsParameterDependedElement</c>: a null could turn
/// <c>= @p</c> into <c>IS NULL</c>), and for such a query it optimizes the statement and writes its
/// SQL again on every execution. Every query Akka.Persistence.Sql runs has one (the persistence
/// id), so the node rebuilt the SQL of each snapshot load, each highest-sequence-number read and
/// each write: 10% of its CPU in a storm of first logins (bench/README.md, issue 13). FirstOrDefault's
/// literal <c>LIMIT 1</c> made every snapshot load count as dependent too.
/// </para>
/// <para>
/// Safe for Akka.Persistence.Sql's queries: none compares a column with a parameter that can be
/// null (persistence ids and tags never are; its one null test, on tags, is against a constant),
/// and the options built here compare nulls as SQL does (<see cref="CompareNulls.LikeSql"/>), so
/// the SQL text is <c>= @p</c> whatever the value.
/// </para>
/// </summary>
public static class StatementCache
{
    /// <summary>False where the value cannot change the SQL text; null to let linq2db decide.</summary>
    public static bool? IsParameterDependent(IQueryElement element) => element switch
    {
        SqlParameter { IsQueryParameter: true } => false,
        SqlPredicate.ExprExpr { Expr1: SqlField or SqlColumn, Expr2: SqlParameter { IsQueryParameter: true } } => false,
        SqlPredicate.ExprExpr { Expr1: SqlParameter { IsQueryParameter: true }, Expr2: SqlField or SqlColumn } => false,
        _ => null,
    };

    /// <summary>A literal row limit and offset (or none) is the same text every time.</summary>
    public static bool HasLiteralLimits(SelectQuery query) =>
        query.Select.TakeValue is null or SqlValue && query.Select.SkipValue is null or SqlValue;

    /// <summary>
    /// A plugin's connection options: <paramref name="provider"/>, under its own name (which
    /// Akka.Persistence.Sql reads to choose its mapping), and nulls compared as SQL does.
    /// </summary>
    public static DataOptions Options(IDataProvider provider, string connectionString) =>
        new DataOptions()
            .UseConnectionString(provider.Name, connectionString)
            .UseDataProvider(provider)
            .UseCompareNulls(CompareNulls.LikeSql);
}

/// <summary>linq2db's SQLite provider for Microsoft.Data.Sqlite ("SQLite.MS"), building each query's SQL once (<see cref="StatementCache"/>).</summary>
public sealed class SqliteStatementCache : SQLiteDataProvider
{
    private readonly ISqlOptimizer _optimizer;

    private SqliteStatementCache()
        : base(ProviderName.SQLiteMS, SQLiteProvider.Microsoft) =>
        _optimizer = new Optimizer(SqlProviderFlags);

    /// <summary>One per process: linq2db keys its query cache by provider.</summary>
    public static SqliteStatementCache Instance { get; } = new();

    public override ISqlOptimizer GetSqlOptimizer(DataOptions dataOptions) => _optimizer;

    private sealed class Optimizer(SqlProviderFlags flags) : SQLiteSqlOptimizer(flags)
    {
        public override bool IsParameterDependedElement(NullabilityContext nullability, IQueryElement element, DataOptions dataOptions, MappingSchema mappingSchema) =>
            StatementCache.IsParameterDependent(element) ?? base.IsParameterDependedElement(nullability, element, dataOptions, mappingSchema);

        public override bool IsParameterDependedQuery(SelectQuery query) =>
            !StatementCache.HasLiteralLimits(query) && base.IsParameterDependedQuery(query);
    }
}

/// <summary>linq2db's PostgreSQL 15 provider ("PostgreSQL.15", Npgsql), building each query's SQL once (<see cref="StatementCache"/>).</summary>
public sealed class PostgresStatementCache : PostgreSQLDataProvider
{
    private readonly ISqlOptimizer _optimizer;

    private PostgresStatementCache()
        : base(ProviderName.PostgreSQL15, PostgreSQLVersion.v15) =>
        _optimizer = new Optimizer(SqlProviderFlags);

    /// <summary>One per process: linq2db keys its query cache by provider.</summary>
    public static PostgresStatementCache Instance { get; } = new();

    public override ISqlOptimizer GetSqlOptimizer(DataOptions dataOptions) => _optimizer;

    private sealed class Optimizer(SqlProviderFlags flags) : PostgreSQLSqlOptimizer(flags)
    {
        public override bool IsParameterDependedElement(NullabilityContext nullability, IQueryElement element, DataOptions dataOptions, MappingSchema mappingSchema) =>
            StatementCache.IsParameterDependent(element) ?? base.IsParameterDependedElement(nullability, element, dataOptions, mappingSchema);

        public override bool IsParameterDependedQuery(SelectQuery query) =>
            !StatementCache.HasLiteralLimits(query) && base.IsParameterDependedQuery(query);
    }
}
