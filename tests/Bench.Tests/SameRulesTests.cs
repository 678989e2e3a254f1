using AkkaGame.Bench.PeerCommon;
using AkkaGame.Game.Configuration;
using AkkaGame.Node.Hosting;
using Xunit;

namespace AkkaGame.Bench.Tests;

/// <summary>
/// A peer cannot win a benchmark by relaxing a rule: the peers take their rules from the core's
/// reading of hocon/game.conf, and the node, reading the same file through its layered Akka
/// configuration, ends with the same settings, checked here field by field (the records compare
/// by value).
/// </summary>
public sealed class SameRulesTests
{
    [Fact]
    public void The_peers_world_and_session_rules_are_the_nodes_game_conf()
    {
        var node = GameSettings.Read(new HoconSettingSource(NodeConfig.Build(NodeOptions.Parse([], _ => null))));
        var peer = new PeerSettings();

        Assert.Equal(node.World, peer.World);
        Assert.Equal(node.SessionRules, peer.Session);
        Assert.Equal(node.Gateway.Port, peer.Port);
        Assert.Equal(node.Gateway.MaxOutboundBytes, peer.MaxOutboundBytes);
        Assert.Equal(node.Gateway.MaxWriteBytes, peer.MaxWriteBytes);
        Assert.Equal(node.Gateway.CloseLinger, peer.CloseLinger);
        Assert.Equal(node.Player.RememberedOperations, peer.RememberedOperations);
    }

    [Fact]
    public void The_node_and_the_core_read_every_setting_of_game_conf_alike()
    {
        var node = GameSettings.Read(new HoconSettingSource(NodeConfig.Build(NodeOptions.Parse([], _ => null))));

        Assert.Equal(GameConf.Defaults, node);
    }
}
