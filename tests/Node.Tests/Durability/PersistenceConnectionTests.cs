using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using Akka.Persistence.Sql.Db;
using Akka.Persistence.Sql.Journal.Types;
using Akka.Persistence.Sql.Snapshot;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Tests.Support;
using LinqToDB.Mapping;
using Xunit;

namespace AkkaGame.Node.Tests.Durability;

/// <summary>
/// The node's journal and snapshot store open every connection from their plugin's options
/// (<c>use-clone-connection = off</c>, hocon/persistence-*.conf). linq2db 6.5.1 resolves those
/// options once and hands each new connection the same mapping schema. A cloned connection (the
/// plugin's default) gets new options each time, and with them a new mapping schema merged from
/// the plugin's and the provider's: the clones took 6% of the node's CPU in a storm of first
/// logins (bench/README.md, issue 13).
/// </summary>
public sealed class PersistenceConnectionTests
{
    private const int Connections = 3;

    /// <summary>The node's two storage configurations. Nothing here opens a connection, so PostgreSQL needs no server.</summary>
    public static TheoryData<string> Providers => new() { "sqlite", "postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_connection_of_the_node_s_journal_shares_one_mapping_schema(string provider)
    {
        var config = NodeOn(provider);
        var plugin = config.GetConfig(PersistenceConnections.JournalPluginId);

        Assert.False(plugin.GetBoolean("use-clone-connection"));
        Assert.Equal(1, JournalSchemas(config, plugin));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_connection_of_the_node_s_snapshot_store_shares_one_mapping_schema(string provider)
    {
        var config = NodeOn(provider);
        var plugin = config.GetConfig(PersistenceConnections.SnapshotPluginId);

        Assert.False(plugin.GetBoolean("use-clone-connection"));
        Assert.Equal(1, SnapshotSchemas(config, plugin));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Cloned_connections_each_build_a_mapping_schema_of_their_own(string provider)
    {
        // What the setting avoids: the plugin's default, with everything else as the node has it.
        var config = NodeOn(provider);
        var cloning = ConfigurationFactory.ParseString("use-clone-connection = on");

        Assert.Equal(Connections, JournalSchemas(config, cloning.WithFallback(config.GetConfig(PersistenceConnections.JournalPluginId))));
        Assert.Equal(Connections, SnapshotSchemas(config, cloning.WithFallback(config.GetConfig(PersistenceConnections.SnapshotPluginId))));
    }

    private static Config NodeOn(string provider) => provider == "sqlite"
        ? TestConfig.Node(TestConfig.NewDataDir())
        : TestConfig.Node(TestConfig.NewDataDir(), null, "--db-provider", "postgres", "--db", "Host=127.0.0.1;Port=1;Username=nobody;Database=nothing");

    private static int JournalSchemas(Config node, Config plugin)
    {
        var factory = new AkkaPersistenceDataConnectionFactory(new JournalConfig(plugin).WithDataOptions(OptionsFor(node, PersistenceConnections.JournalPluginId)));
        return DistinctSchemas<JournalRow>(factory);
    }

    private static int SnapshotSchemas(Config node, Config plugin)
    {
        var factory = new AkkaPersistenceDataConnectionFactory(new SnapshotConfig(plugin).WithDataOptions(OptionsFor(node, PersistenceConnections.SnapshotPluginId)));
        return DistinctSchemas<LongSnapshotRow>(factory);
    }

    private static LinqToDB.DataOptions OptionsFor(Config node, string pluginId)
    {
        Assert.True(PersistenceConnections.Setup(node)!.TryGetDataOptionsFor(pluginId, out var options));
        return options!;
    }

    /// <summary>How many mapping schemas <see cref="Connections"/> connections of the factory use (none is opened).</summary>
    private static int DistinctSchemas<TRow>(AkkaPersistenceDataConnectionFactory factory)
        where TRow : class
    {
        var schemas = new HashSet<MappingSchema>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < Connections; i++)
        {
            using var connection = factory.GetConnection();
            schemas.Add(connection.GetTable<TRow>().DataContext.MappingSchema);
        }

        return schemas.Count;
    }
}
