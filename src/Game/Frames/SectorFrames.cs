using Akkagame.V1;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Game.Frames;

/// <summary>Turns sector state into protocol frames. Each frame is encoded once and shared by every recipient.</summary>
public static class SectorFrames
{
    /// <summary>The sector's snapshot; with <paramref name="ships"/>, only those (a player's view under interest management).</summary>
    public static byte[] Snapshot(SectorState state, IEnumerable<Simulation.Ship>? ships = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var snapshot = new SectorSnapshot
        {
            SectorId = state.Id,
            Tick = state.Tick,
            Width = state.Rules.Width,
            Height = state.Rules.Height,
            TimeDilation = state.TimeDilation,
        };
        snapshot.Ships.AddRange((ships ?? state.Ships).Select(ToProto));
        snapshot.Asteroids.AddRange(state.Asteroids.Select(ToProto));
        snapshot.Gates.AddRange(state.Layout.Gates.Select(g => new Gate { Id = g.Id, X = g.Position.X, Y = g.Position.Y, ToSector = g.ToSector }));
        snapshot.RecentChat.AddRange(state.RecentChat.Select(c => ToProto(c, state.Id)));
        return Frame.Encode(new ServerMessage { Snapshot = snapshot });
    }

    public static byte[] Delta(string sectorId, TickResult tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        var delta = new SectorDelta { SectorId = sectorId, Tick = tick.Tick };
        delta.Ships.AddRange(tick.ChangedShips.Select(ToProto));
        delta.Asteroids.AddRange(tick.ChangedAsteroids.Select(ToProto));
        delta.RemovedShips.AddRange(tick.RemovedShips);
        if (tick.TimeDilation is { } dilation)
        {
            delta.TimeDilation = dilation;
        }

        return Frame.Encode(new ServerMessage { Delta = delta });
    }

    public static byte[] Chat(ChatEntry entry, string sectorId, uint ack) =>
        Frame.Encode(new ServerMessage { Ack = ack, Chat = ToProto(entry, sectorId) });

    public static ChatLine ToProto(ChatEntry entry, string sectorId)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ChatLine
        {
            Id = entry.Id,
            SectorId = sectorId,
            FromPlayerId = entry.FromPlayerId,
            FromName = entry.FromName,
            Text = entry.Text,
            TimeUs = entry.TimeUs,
        };
    }

    internal static Akkagame.V1.Ship ToProto(Simulation.Ship ship) => new()
    {
        PlayerId = ship.PlayerId,
        Name = ship.Name,
        X = ship.Position.X,
        Y = ship.Position.Y,
        Vx = ship.Velocity.X,
        Vy = ship.Velocity.Y,
        Connected = ship.Connected,
        LastInputSeq = ship.LastInputSeq,
    };

    internal static Akkagame.V1.Asteroid ToProto(Simulation.Asteroid asteroid) => new()
    {
        Id = asteroid.Id,
        X = asteroid.Position.X,
        Y = asteroid.Position.Y,
        Ore = (uint)asteroid.Ore,
    };
}
