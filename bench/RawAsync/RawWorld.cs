using System.Collections.Concurrent;
using AkkaGame.Bench.PeerCommon;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Bench.RawAsync;

/// <summary>
/// The sector loops, started on first use, and the players, in this process's memory and, with
/// a store (the default), stored in SQLite before they are answered as the node stores them.
/// </summary>
internal sealed class RawWorld
{
    private readonly ConcurrentDictionary<string, SectorLoop> _sectors = new(StringComparer.Ordinal);
    private readonly Lock _starting = new();

    public RawWorld(PeerSettings settings)
    {
        Settings = settings;
        Tokens = TokenService.FromSecret(settings.AuthSecret);
        Store = settings.OpenStore();
        Players = new(settings.World, settings.RememberedOperations, Store);
    }

    public PeerSettings Settings { get; }

    public FaultLog Faults { get; } = new(RawAsyncServer.PeerName);

    public TokenService Tokens { get; }

    /// <summary>Null for the in-memory variant.</summary>
    public PeerStore? Store { get; }

    public PlayerDirectory<RawSession> Players { get; }

    public SectorLoop Sector(string sectorId)
    {
        if (_sectors.TryGetValue(sectorId, out var loop))
        {
            return loop;
        }

        // Under a lock, so two racing first uses cannot both start a loop for one sector.
        lock (_starting)
        {
            if (!SectorId.IsValid(sectorId, Settings.World))
            {
                throw new ArgumentException($"not a sector of this world: {sectorId}", nameof(sectorId));
            }

            return _sectors.GetOrAdd(sectorId, id => new SectorLoop(id, this));
        }
    }

    public async Task StopAsync()
    {
        foreach (var loop in _sectors.Values)
        {
            await loop.DisposeAsync();
        }

        if (Store is not null)
        {
            await Store.DisposeAsync();
        }
    }
}
