using Akka.Actor;

namespace AkkaGame.Node.Messages;

/// <summary>
/// A session logs in as this player. The player entity is unique in the cluster, so it is
/// where "one connection per player" is enforced: an older session is told it was replaced.
/// Answered with <see cref="PlayerAttached"/>.
/// </summary>
public sealed record AttachSession(string PlayerId, string Name, IActorRef Session) : IWithPlayerId;

public sealed record PlayerAttached(string PlayerId, string Name, string SectorId, long Credits) : IGameMessage;

/// <summary>Sent to a session that another login of the same player replaced.</summary>
public sealed record SessionReplaced(string PlayerId) : IGameMessage;

public sealed record DetachSession(string PlayerId, IActorRef Session) : IWithPlayerId;

/// <summary>
/// Adds credits exactly once per <paramref name="OperationId"/>: a retry after a timeout or a
/// crash gets the same answer without a second credit. Answered with <see cref="CreditsChanged"/>
/// after the new balance is stored.
/// </summary>
public sealed record AddCredits(string PlayerId, string OperationId, long Amount, string Reason) : IWithPlayerId;

public sealed record CreditsChanged(string PlayerId, string OperationId, long Balance, long Delta, string Reason) : IGameMessage;

/// <summary>Stores the player's new sector (a jump). Answered with <see cref="PlayerRelocated"/> once stored.</summary>
public sealed record RelocatePlayer(string PlayerId, string SectorId) : IWithPlayerId;

public sealed record PlayerRelocated(string PlayerId, string SectorId) : IGameMessage;

/// <summary>Answered with <see cref="PlayerAttached"/>-like <see cref="PlayerInfo"/>. For operators and tests.</summary>
public sealed record GetPlayerInfo(string PlayerId) : IWithPlayerId;

public sealed record PlayerInfo(string PlayerId, string? Name, string? SectorId, long Credits, bool Online) : IGameMessage;

/// <summary>
/// An operator ends this player's connection: the player entity, which knows the one live session
/// wherever it runs, tells it <c>KickSession</c>. Answered with <see cref="PlayerKicked"/>.
/// </summary>
public sealed record KickPlayer(string PlayerId, string Reason) : IWithPlayerId;

/// <param name="SessionPath">The kicked session's actor path; null when the player had no live session.</param>
public sealed record PlayerKicked(string PlayerId, string? SessionPath) : IGameMessage;

/// <summary>
/// An entity's answer in place of an acknowledgement when it could not store the write (the
/// store refused it, so another instance wrote first, or the store failed). The asker turns it
/// into an error for the client (<see cref="Sessions.EntityAsk"/>), never into the value.
/// </summary>
public sealed record WriteNotStored(string EntityId, string Reason) : IGameMessage;
