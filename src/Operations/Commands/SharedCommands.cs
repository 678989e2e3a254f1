namespace AkkaGame.Operations.Commands;

/// <summary>The commands every AkkaGame process serves (game nodes add the game palette).</summary>
public static class SharedCommands
{
    public static IReadOnlyList<IOpsCommand> All() =>
    [
        HelpCommand.Create(),
        ClusterShowCommand.Create(),
        .. ClusterMembershipCommands.Create(),
        ClusterTailCommand.Create(),
        .. ShardingCommands.Create(),
        ActorHierarchyCommand.Create(),
        LogPeekCommand.Create(),
    ];
}
