using System.Numerics;
using AkkaGame.Node.Persistence.V1;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Node.Sectors;

/// <summary>Maps a sector between its simulation state and its persisted snapshot format.</summary>
public static class SectorSnapshots
{
    public static SectorSnapshotV1 ToPersisted(SectorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var snapshot = new SectorSnapshotV1 { Tick = state.Tick, LastChatId = state.LastChatId };
        snapshot.Ships.AddRange(state.Ships.Select(s => new ShipV1
        {
            PlayerId = s.PlayerId,
            Name = s.Name,
            X = s.Position.X,
            Y = s.Position.Y,
            TargetX = s.Target.X,
            TargetY = s.Target.Y,
            LastInputSeq = s.LastInputSeq,
        }));
        snapshot.Asteroids.AddRange(state.Asteroids.Select(a => new AsteroidOreV1 { Id = a.Id, Ore = a.Ore }));
        snapshot.RecentChat.AddRange(state.RecentChat.Select(ToPersisted));
        return snapshot;
    }

    public static void Restore(SectorState state, SectorSnapshotV1 snapshot, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(snapshot);
        state.RestoreCounters(snapshot.Tick, snapshot.LastChatId);
        foreach (var s in snapshot.Ships)
        {
            state.Restore(
                new AkkaGame.Game.Simulation.Ship
                {
                    PlayerId = s.PlayerId,
                    Name = s.Name,
                    Position = new Vector2(s.X, s.Y),
                    Target = new Vector2(s.TargetX, s.TargetY),
                    LastInputSeq = s.LastInputSeq,
                },
                nowMs);
        }

        foreach (var a in snapshot.Asteroids)
        {
            state.RestoreAsteroid(a.Id, a.Ore);
        }

        foreach (var c in snapshot.RecentChat)
        {
            state.ApplyChat(FromPersisted(c));
        }
    }

    public static ChatPostedV1 ToPersisted(ChatEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new ChatPostedV1 { Id = entry.Id, FromPlayerId = entry.FromPlayerId, FromName = entry.FromName, Text = entry.Text, TimeUs = entry.TimeUs };
    }

    public static ChatEntry FromPersisted(ChatPostedV1 chat)
    {
        ArgumentNullException.ThrowIfNull(chat);
        return new ChatEntry(chat.Id, chat.FromPlayerId, chat.FromName, chat.Text, chat.TimeUs);
    }
}
