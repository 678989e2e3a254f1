using AkkaGame.Node.Hosting;
using AkkaGame.Operations.Commands;

namespace AkkaGame.Node.Operations;

/// <summary>The game palette a game node serves beside the shared commands.</summary>
public static class GameCommands
{
    public static IReadOnlyList<IOpsCommand> All(GameNode node) =>
    [
        .. SectorCommands.Create(node),
        .. PlayerCommands.Create(node),
        AnnounceCommand.Create(),
        DrainCommand.Create(node),
        TokenMintCommand.Create(node),
        StatsCommand.Create(node),
    ];
}
