using AkkaGame.Node.Hosting;
using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Hosting;

/// <summary>On SQLite, snapshots are written to a file of their own, so they never take the journal's one writer lock.</summary>
public sealed class SqliteFilesTests
{
    [Fact]
    public void The_snapshot_store_gets_its_own_file_beside_the_journal()
    {
        Assert.Equal("Data Source=/data/akkagame-snapshots.db", NodeConfig.SnapshotDatabase("Data Source=/data/akkagame.db"));
        Assert.Equal("Data Source=/data/game-snapshots", NodeConfig.SnapshotDatabase("Data Source=/data/game"));
        Assert.Equal("Data Source=:memory:", NodeConfig.SnapshotDatabase("Data Source=:memory:"));
    }

    [Fact]
    public void The_default_configuration_puts_journal_and_snapshots_in_two_files_of_the_data_directory()
    {
        var dataDir = TestConfig.NewDataDir();
        var config = TestConfig.Node(dataDir);

        Assert.Equal($"Data Source={Path.Combine(dataDir, "akkagame.db")}", config.GetString("akka.persistence.journal.sql.connection-string"));
        Assert.Equal($"Data Source={Path.Combine(dataDir, "akkagame-snapshots.db")}", config.GetString("akka.persistence.snapshot-store.sql.connection-string"));
    }
}
