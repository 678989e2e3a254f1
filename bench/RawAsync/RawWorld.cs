using System.Collections.Concurrent;
using AkkaGame.Bench.PeerCommon;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Bench.RawAsync;

/// <summary>The sector loops, started on first use, and the players, all in this process's memory.</summary>
internal sealed class RawWorld(PeerSettings settings)
{
    private readonly ConcurrentDictionary<string, SectorLoop> _sectors = new(StringComparer.Ordinal);
    private readonly Lock _starting = new();

    public PeerSettings Settings { get; } = settings;

    public FaultLog Faults { get; } = new(RawAsyncServer.PeerName);

    public TokenService Tokens { get; } = TokenService.FromSecret(settings.AuthSecret);

    public PlayerDirectory<RawSession> Players { get; } = new(settings.World, settings.RememberedOperations);

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
    }
}
