using AkkaGame.Game.Sessions;
using System.Collections.Concurrent;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// Players kept in memory (the core's <see cref="PlayerState"/>: name, sector, credits) and the
/// one live connection of each. Thread-safe with a lock per player, so logins, mining and jumps
/// of different players never wait for each other. Nothing here survives the process.
/// </summary>
public sealed class PlayerDirectory<TSession>(WorldRules rules, int rememberedOperations)
    where TSession : class
{
    private readonly ConcurrentDictionary<string, Entry> _players = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers the player on its first login (home sector by stable hash) and makes
    /// <paramref name="session"/> its connection; <paramref name="replaced"/> is the older one to close.
    /// </summary>
    public PlayerView Attach(string playerId, string name, TSession session, out TSession? replaced)
    {
        var entry = _players.GetOrAdd(playerId, id => new Entry(new PlayerState(id, rememberedOperations)));
        lock (entry)
        {
            if (!entry.State.IsRegistered)
            {
                entry.State.Register(name, SectorId.HomeOf(playerId, rules));
            }
            else
            {
                entry.State.Rename(name);
            }

            replaced = ReferenceEquals(entry.Session, session) ? null : entry.Session;
            entry.Session = session;
            return new PlayerView(playerId, entry.State.Name!, entry.State.SectorId!, entry.State.Credits);
        }
    }

    /// <summary>The connection is gone; a newer one of the same player stays.</summary>
    public void Detach(string playerId, TSession session)
    {
        if (_players.TryGetValue(playerId, out var entry))
        {
            lock (entry)
            {
                if (ReferenceEquals(entry.Session, session))
                {
                    entry.Session = null;
                }
            }
        }
    }

    /// <summary>Applies a credit operation once per id; returns the balance after it.</summary>
    public long AddCredits(string playerId, string operationId, long amount)
    {
        var entry = _players[playerId];
        lock (entry)
        {
            return entry.State.ApplyCredits(operationId, amount);
        }
    }

    /// <summary>The player's sector after a jump.</summary>
    public void Relocate(string playerId, string sectorId)
    {
        var entry = _players[playerId];
        lock (entry)
        {
            entry.State.MoveTo(sectorId);
        }
    }

    private sealed class Entry(PlayerState state)
    {
        public PlayerState State { get; } = state;
        public TSession? Session { get; set; }
    }
}
