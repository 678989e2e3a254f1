namespace AkkaGame.Operations.Protocol;

/// <summary>A table for people: column headers and rows of cells, all text. Scripts read <c>data</c> instead.</summary>
public sealed record OpsTable(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows)
{
    public static OpsTable Of(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows) => new(columns, rows.ToList());
}
