using AkkaGame.Operations.Protocol;

namespace AkkaGame.Ops;

/// <summary>Prints a table with columns aligned to their widest cell, headers first.</summary>
public static class TableWriter
{
    private const string Gap = "  ";

    public static void Write(OpsTable table, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(output);
        var columns = table.Columns.Count;
        var widths = table.Columns.Select(c => c.Length).ToArray();
        foreach (var row in table.Rows)
        {
            for (var i = 0; i < Math.Min(columns, row.Count); i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        output.WriteLine(Line(table.Columns, widths));
        foreach (var row in table.Rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    /// <summary>The last column is not padded, so lines carry no trailing spaces.</summary>
    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join(Gap, widths.Select((w, i) =>
        {
            var cell = i < cells.Count ? cells[i] : string.Empty;
            return i == widths.Length - 1 ? cell : cell.PadRight(w);
        })).TrimEnd();
}
