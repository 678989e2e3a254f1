using Akkagame.V1;
using Akka.Actor;

namespace AkkaGame.Node.Messages;

/// <summary>A session's ship enters the sector (or re-attaches). Answered with <see cref="SectorJoined"/>.</summary>
/// <param name="ArrivalX">Set with ArrivalY after a jump: where the ship appears.</param>
/// <param name="PredictsMotion">The client moves ships by their velocity between deltas (Hello.predicts_motion).</param>
public sealed record JoinSector(string SectorId, string PlayerId, string Name, IActorRef Session, float? ArrivalX = null, float? ArrivalY = null, bool PredictsMotion = false) : IWithSectorId;

/// <summary>The sector accepted the ship (its snapshot frame went to the client ahead of this, as the deltas go).</summary>
public sealed record SectorJoined(string SectorId) : IGameMessage;

public sealed record MoveShip(string SectorId, string PlayerId, uint Seq, float X, float Y) : IWithSectorId;

public sealed record PostChat(string SectorId, string PlayerId, uint Seq, string Text) : IWithSectorId;

public sealed record MineAsteroid(string SectorId, string PlayerId, uint Seq, string AsteroidId) : IWithSectorId;

/// <summary>The sector took ore for this mine; the session now credits the player.</summary>
public sealed record MineApproved(string SectorId, uint Seq, int Amount) : IGameMessage;

public sealed record JumpGate(string SectorId, string PlayerId, uint Seq, string GateId) : IWithSectorId;

/// <summary>The ship left through a gate; it arrives in <paramref name="ToSector"/> at (X, Y).</summary>
public sealed record JumpApproved(string SectorId, uint Seq, string ToSector, float X, float Y) : IGameMessage;

/// <summary>An input refused by an entity; not fatal to the connection.</summary>
public sealed record InputRejected(uint Seq, ErrorCode Error, string Reason) : IGameMessage;

/// <summary>The player said Leave: the ship leaves now.</summary>
public sealed record LeaveSector(string SectorId, string PlayerId) : IWithSectorId;

/// <summary>The player's connection is gone: the ship waits for the reconnect grace.</summary>
public sealed record SessionLost(string SectorId, string PlayerId, IActorRef Session) : IWithSectorId;

/// <summary>A frame for one session's client, through its mailbox: the fallback when its connection is not known here.</summary>
public sealed record DeliverFrame(byte[] Frame) : IGameMessage;

/// <summary>
/// One frame for several clients on the receiving node, sent once to its FrameRelay (deltas,
/// snapshots, chat). Its kind tells the relay what it may skip for a client that is behind: a
/// delta (conflation), never a snapshot or an event.
/// </summary>
public sealed record RelayFrame(byte[] Frame, IActorRef[] Sessions, RelayedFrame Kind = RelayedFrame.Event) : IGameMessage;

/// <summary>What a relayed frame is, for conflation on the node of the clients.</summary>
public enum RelayedFrame
{
    /// <summary>A chat line, or anything else every client must get.</summary>
    Event,

    /// <summary>A tick's delta: skipped for a client that is behind.</summary>
    Delta,

    /// <summary>A sector snapshot: on joining, or to catch up; deltas after it follow on from it.</summary>
    Snapshot,
}

/// <summary>
/// From a node's FrameRelay to a sector: a client of that node that fell behind has drained, and
/// waits for a fresh snapshot before its deltas go on (conflation for clients on other nodes).
/// </summary>
public sealed record CatchUp(IActorRef Session) : IGameMessage;

/// <summary>Asks a sector for a summary; answered with <see cref="SectorInfo"/>. For operators and tests.</summary>
public sealed record GetSectorInfo(string SectorId) : IWithSectorId;

/// <summary>A sector's summary for operators.</summary>
/// <param name="PredictingPlayers">Players here whose clients predict motion (Hello.predicts_motion).</param>
public sealed record SectorInfo(string SectorId, ulong Tick, int Ships, int ConnectedShips, ulong LastChatId, double TickMillisP99, float TimeDilation, IReadOnlyList<ShipInfo> ShipList, IReadOnlyList<AsteroidInfo> AsteroidList, int PredictingPlayers = 0) : IGameMessage;

public sealed record ShipInfo(string PlayerId, string Name, float X, float Y, bool Connected) : IGameMessage;

public sealed record AsteroidInfo(string Id, float X, float Y, int Ore) : IGameMessage;
