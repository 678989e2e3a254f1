using AkkaGame.Node.Messages;

namespace AkkaGame.Node.Sessions;

/// <summary>
/// Tells a session its node is leaving: it sends Notice{SHUTTING_DOWN_NOTICE} and closes,
/// and the client resumes on another node.
/// </summary>
public sealed record NodeShuttingDown(uint ReconnectAfterMs) : IGameMessage;

/// <summary>An operator closes this player's connection with an error the client can show.</summary>
public sealed record KickSession(string Reason) : IGameMessage;

/// <summary>An operator's announcement, sent to the client as Notice{ANNOUNCEMENT}.</summary>
public sealed record Announce(string Text) : IGameMessage;

/// <summary>Asks a session who it serves; answered with <see cref="SessionInfo"/>. Local only (operators' "game players").</summary>
public sealed class GetSessionInfo
{
    public static readonly GetSessionInfo Instance = new();
}

/// <param name="PlayerId">Null until the login completes.</param>
public sealed record SessionInfo(string ConnectionId, string? PlayerId, string? Name, string? SectorId, string Phase, TimeSpan Connected);
