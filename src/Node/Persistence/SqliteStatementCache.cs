using LinqToDB;
using LinqToDB.DataProvider.SQLite;
using LinqToDB.Internal.DataProvider.SQLite;
using LinqToDB.Internal.SqlProvider;
using LinqToDB.Internal.SqlQuery;
using LinqToDB.Mapping;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// linq2db's SQLite provider (Microsoft.Data.Sqlite) for the node's journal and snapshot store,
/// with one change: a query whose parameters include a string or a byte array keeps its SQL
/// text, built once, instead of building it again on every execution.
/// <para>
/// Why: linq2db 6.5.1 counts every query parameter of a reference type as something the SQL
/// text depends on (<c>BasicSqlOptimizer.IsParameterDependedElement</c>: a null may turn
/// <c>= @p</c> into <c>IS NULL</c>), so it optimizes the statement and writes its SQL again on
/// every execution. Every query Akka.Persistence.Sql runs has one (the persistence id), so a
/// node rebuilt the SQL of each snapshot load, each highest-sequence-number read and each
/// write: 10% of its CPU during a storm of first logins (bench/README.md, issue 13).
/// </para>
/// <para>
/// Safe for these queries because none compares a column with a null parameter (persistence
/// ids and tags are never null), and because the options built here compare as SQL does
/// (<see cref="CompareNulls.LikeSql"/>): <c>= @p</c> whatever the value, so no SQL text can
/// depend on a parameter's value.
/// </para>
/// </summary>
public sealed class SqliteStatementCache : SQLiteDataProvider
{
    private readonly ISqlOptimizer _optimizer;

    public SqliteStatementCache()
        : base(ProviderName.SQLiteMS, SQLiteProvider.Microsoft) =>
        _optimizer = new Optimizer(SqlProviderFlags);

    /// <summary>Options for a plugin's connections: this provider, its connection string, SQL's comparison of nulls.</summary>
    public static DataOptions Options(string connectionString) =>
        new DataOptions()
            .UseConnectionString(ProviderName.SQLiteMS, connectionString)
            .UseDataProvider(Instance)
            .UseCompareNulls(CompareNulls.LikeSql);

    /// <summary>One per process: linq2db keys its query cache by provider.</summary>
    public static SqliteStatementCache Instance { get; } = new();

    public override ISqlOptimizer GetSqlOptimizer(DataOptions dataOptions) => _optimizer;

    /// <summary>SQLite's optimizer, for which a query parameter's value never changes the SQL text.</summary>
    internal sealed class Optimizer(SqlProviderFlags flags) : SQLiteSqlOptimizer(flags)
    {
        public override bool IsParameterDependedElement(NullabilityContext nullability, IQueryElement element, DataOptions dataOptions, MappingSchema mappingSchema) =>
            element switch
            {
                // Sent as a parameter, its value is not in the SQL text; and with nulls compared as
                // SQL compares them, a null value does not turn "= @p" into "IS NULL".
                SqlParameter { IsQueryParameter: true } => false,
                SqlPredicate.ExprExpr { Expr1: SqlField or SqlColumn, Expr2: SqlParameter { IsQueryParameter: true } } => false,
                SqlPredicate.ExprExpr { Expr1: SqlParameter { IsQueryParameter: true }, Expr2: SqlField or SqlColumn } => false,
                _ => base.IsParameterDependedElement(nullability, element, dataOptions, mappingSchema),
            };

        /// <summary>A literal row limit or offset (FirstOrDefault's LIMIT 1) is the same text every time.</summary>
        public override bool IsParameterDependedQuery(SelectQuery query) =>
            (query.Select.TakeValue is not (null or SqlValue) || query.Select.SkipValue is not (null or SqlValue)) && base.IsParameterDependedQuery(query);
    }
}
