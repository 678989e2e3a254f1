using Akka.Cluster;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;

namespace AkkaGame.Node.Tests.Durability;

/// <summary>
/// A node uses its journal and snapshot store once before it hosts any entity (StorageWarmup):
/// each start journals one NodeStartedV1 under "node-HOST:PORT" and saves it as a snapshot.
/// </summary>
public sealed class StorageWarmupTests
{
    [Fact]
    public async Task Every_start_writes_its_node_started_event_and_snapshot_before_serving()
    {
        var dataDir = TestConfig.NewDataDir();
        string persistenceId;
        await using (var node = await GameNode.StartAsync(TestConfig.Node(dataDir)))
        {
            var self = Cluster.Get(node.System).SelfAddress;
            persistenceId = $"node-{self.Host}:{self.Port}";
        }

        await using var journal = new SqliteConnection($"Data Source={Path.Combine(dataDir, "akkagame.db")}");
        await journal.OpenAsync();
        Assert.Equal(1L, await CountAsync(journal, "select count(*) from event_journal where persistence_id = $id and manifest = 'akkagame.persisted.v1.NodeStartedV1'", persistenceId));

        // Snapshots live in their own file, so their writes never hold the journal's writer lock.
        await using var snapshots = new SqliteConnection($"Data Source={Path.Combine(dataDir, "akkagame-snapshots.db")}");
        await snapshots.OpenAsync();
        Assert.Equal(1L, await CountAsync(snapshots, "select count(*) from snapshot where persistence_id = $id", persistenceId));
    }

    private static async Task<long> CountAsync(SqliteConnection connection, string sql, string persistenceId)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", persistenceId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
