using System.Numerics;

namespace AkkaGame.Bench.RawAsync;

/// <summary>What a sector loop is asked to do; each runs alone on the sector's loop, in arrival order.</summary>
internal abstract record SectorCommand;

internal sealed record JoinCommand(RawSession Session, Vector2? Arrival) : SectorCommand;

internal sealed record MoveCommand(RawSession Session, uint Seq, float X, float Y) : SectorCommand;

internal sealed record ChatCommand(RawSession Session, uint Seq, string Text) : SectorCommand;

internal sealed record MineCommand(RawSession Session, uint Seq, string AsteroidId) : SectorCommand;

internal sealed record JumpCommand(RawSession Session, uint Seq, string GateId) : SectorCommand;

internal sealed record LeaveCommand(string PlayerId) : SectorCommand;

internal sealed record DisconnectCommand(string PlayerId, string ConnectionId) : SectorCommand;

internal sealed record TickCommand : SectorCommand
{
    public static readonly TickCommand Instance = new();
}
