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

    /// <summary>
    /// Both plugins on the node's two storage configurations. Nothing here opens a connection, so
    /// PostgreSQL needs no server.
    /// </summary>
    public static TheoryData<string, string> Plugins => new()
    {
        { "sqlite", PersistenceConnections.JournalPluginId },
        { "sqlite", PersistenceConnections.SnapshotPluginId },
        { "postgres", PersistenceConnections.JournalPluginId },
        { "postgres", PersistenceConnections.SnapshotPluginId },
    };

    [Theory]
    [MemberData(nameof(Plugins))]
    public void Every_connection_of_the_node_s_plugin_shares_one_mapping_schema(string provider, string pluginId)
    {
        var config = NodeOn(provider);
        var plugin = config.GetConfig(pluginId);

        Assert.False(plugin.GetBoolean("use-clone-connection"));
        Assert.Equal(1, Schemas(config, pluginId, plugin));
    }

    [Theory]
    [MemberData(nameof(Plugins))]
    public void Cloned_connections_each_build_a_mapping_schema_of_their_own(string provider, string pluginId)
    {
        // What the setting avoids: the plugin's default, with everything else as the node has it.
        var config = NodeOn(provider);
        var cloning = ConfigurationFactory.ParseString("use-clone-connection = on").WithFallback(config.GetConfig(pluginId));

        Assert.Equal(Connections, Schemas(config, pluginId, cloning));
    }

    private static Config NodeOn(string provider) => provider == "sqlite"
        ? TestConfig.Node(TestConfig.NewDataDir())
        : TestConfig.Node(TestConfig.NewDataDir(), null, "--db-provider", "postgres", "--db", "Host=127.0.0.1;Port=1;Username=nobody;Database=nothing");

    /// <summary>How many mapping schemas <see cref="Connections"/> connections of the plugin's own factory use.</summary>
    private static int Schemas(Config node, string pluginId, Config plugin)
    {
        var options = OptionsFor(node, pluginId);
        return pluginId == PersistenceConnections.JournalPluginId
            ? DistinctSchemas<JournalRow>(new AkkaPersistenceDataConnectionFactory(new JournalConfig(plugin).WithDataOptions(options)))
            : DistinctSchemas<LongSnapshotRow>(new AkkaPersistenceDataConnectionFactory(new SnapshotConfig(plugin).WithDataOptions(options)));
    }

    private static LinqToDB.DataOptions OptionsFor(Config node, string pluginId)
    {
        Assert.True(PersistenceConnections.Setup(node)!.TryGetDataOptionsFor(pluginId, out var options));
        return options!;
    }

    /// <summary>How many distinct mapping schemas <see cref="Connections"/> new connections use (none is opened).</summary>
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
