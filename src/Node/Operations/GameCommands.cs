using AkkaGame.Node.Hosting;
using AkkaGame.Operations.Commands;

namespace AkkaGame.Node.Operations;

/// <summary>The game palette a game node serves beside the shared commands.</summary>
public static class GameCommands
{
    /// <summary>Each command gets what it needs from the node, nothing more.</summary>
    public static IReadOnlyList<IOpsCommand> All(GameNode node) =>
    [
        .. SectorCommands.Create(node.Sectors, node.Settings.World),
        .. PlacementCommands.Create(node.Sectors, node.Settings.World),
        .. PlayerCommands.Create(node.Gateway, node.Players),
        AnnounceCommand.Create(),
        DrainCommand.Create(node.Gateway),
        TokenMintCommand.Create(node.Tokens),
        StatsCommand.Create(node.Metrics, node.Sectors, node.PersistenceFailures),
    ];
}
