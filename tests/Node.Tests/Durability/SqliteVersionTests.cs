using Microsoft.Data.Sqlite;
using Xunit;

namespace AkkaGame.Node.Tests.Durability;

/// <summary>
/// The SQLite the embedded default runs on is past CVE-2025-6965 (fixed in SQLite 3.50.2):
/// the native library Microsoft.Data.Sqlite brings, as loaded, not the package's name.
/// </summary>
public sealed class SqliteVersionTests
{
    [Fact]
    public void The_bundled_sqlite_is_at_least_3_50_2()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sqlite_version()";
        var version = Version.Parse((string)command.ExecuteScalar()!);
        Assert.True(version >= new Version(3, 50, 2), $"SQLite {version} is under CVE-2025-6965");
    }
}
