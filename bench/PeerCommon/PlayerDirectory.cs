using AkkaGame.Game.Sessions;
using System.Collections.Concurrent;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// Players (the core's <see cref="PlayerState"/>: name, sector, credits) and the one live
/// connection of each. Thread-safe with a lock per player, so logins, mining and jumps of
/// different players never wait for each other. With a <see cref="PeerStore"/>, what the node
/// stores before it answers is stored here before the returned task completes (a registration
/// or rename, a credit, a jump); without one, nothing survives the process.
/// </summary>
public sealed class PlayerDirectory<TSession>(WorldRules rules, int rememberedOperations, PeerStore? store = null)
    where TSession : class
{
    private readonly ConcurrentDictionary<string, Entry> _players = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers the player on its first login (home sector by stable hash), or renames it, and
    /// makes <paramref name="session"/> its connection; Replaced is the older one to close. With a
    /// store, the registration or rename is stored before the task completes.
    /// </summary>
    public async Task<(PlayerView Player, TSession? Replaced)> AttachAsync(string playerId, string name, TSession session)
    {
        var player = Attach(playerId, name, session, out var replaced, out var change);
        if (store is not null && change is not null)
        {
            await store.WriteAsync(playerId, change, $"{player.Name}|{player.SectorId}");
        }

        return (player, replaced);
    }

    /// <summary>
    /// Applies a credit operation once per id and returns the balance after it; with a store,
    /// the credit is stored first (a repeated operation writes nothing).
    /// </summary>
    public async Task<long> AddCreditsAsync(string playerId, string operationId, long amount)
    {
        var entry = _players[playerId];
        long balance;
        bool applied;
        lock (entry)
        {
            applied = !entry.State.TryGetApplied(operationId, out _);
            balance = entry.State.ApplyCredits(operationId, amount);
        }

        if (store is not null && applied)
        {
            await store.WriteAsync(playerId, "credits", $"{operationId}|{amount}|{balance}");
        }

        return balance;
    }

    /// <summary>The player's sector after a jump; with a store, stored first.</summary>
    public async Task RelocateAsync(string playerId, string sectorId)
    {
        var entry = _players[playerId];
        lock (entry)
        {
            entry.State.MoveTo(sectorId);
        }

        if (store is not null)
        {
            await store.WriteAsync(playerId, "relocated", sectorId);
        }
    }

    private PlayerView Attach(string playerId, string name, TSession session, out TSession? replaced, out string? change)
    {
        var entry = _players.GetOrAdd(playerId, id => new Entry(new PlayerState(id, rememberedOperations)));
        lock (entry)
        {
            change = null;
            if (!entry.State.IsRegistered)
            {
                entry.State.Register(name, SectorId.HomeOf(playerId, rules));
                change = "registered";
            }
            else if (entry.State.Name != name)
            {
                entry.State.Rename(name);
                change = "renamed";
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

    private sealed class Entry(PlayerState state)
    {
        public PlayerState State { get; } = state;
        public TSession? Session { get; set; }
    }
}
