using AkkaGame.Bench.PeerCommon;
using AkkaGame.Node.Hosting;
using Xunit;

namespace AkkaGame.Bench.Tests;

/// <summary>
/// A peer cannot win a benchmark by relaxing a rule: its defaults are what the node reads from
/// hocon/game.conf, checked here field by field (the records compare by value), not promised
/// in a comment.
/// </summary>
public sealed class SameRulesTests
{
    [Fact]
    public void The_peers_world_and_session_rules_are_the_nodes_game_conf()
    {
        var node = GameSettings.From(NodeConfig.Build(NodeOptions.Parse([], _ => null)));
        var peer = new PeerSettings();

        Assert.Equal(node.World, peer.World);
        Assert.Equal(node.SessionRules, peer.Session);
        Assert.Equal(node.Gateway.MaxOutboundBytes, peer.MaxOutboundBytes);
        Assert.Equal(node.Gateway.MaxWriteBytes, peer.MaxWriteBytes);
        Assert.Equal(node.Gateway.CloseLinger, peer.CloseLinger);
        Assert.Equal(node.Player.RememberedOperations, peer.RememberedOperations);
    }
}
