using System.Collections.Concurrent;
using Akka.Actor;
using AkkaGame.Node.Messages;

namespace AkkaGame.Node.Monitoring;

/// <summary>What one sector costs its node, as it last said (about once a second, and whenever its time dilation changes).</summary>
public sealed record SectorLoad(string SectorId, int Ships, int ConnectedShips, double TickMillisP99, float TimeDilation = 1) : IGameMessage;

/// <summary>
/// The sectors running on this node and their load, written by each sector about once a second
/// and removed when it stops: read by the node's metrics and the dashboard without asking (and
/// so without waking) any sector. An Akka extension, so sharded entities can reach it.
/// </summary>
public sealed class SectorLoads : IExtension
{
    private readonly ConcurrentDictionary<string, SectorLoad> _loads = new(StringComparer.Ordinal);

    public static SectorLoads Get(ActorSystem system) => system.WithExtension<SectorLoads, Provider>();

    public void Report(SectorLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        _loads[load.SectorId] = load;
    }

    public void Remove(string sectorId) => _loads.TryRemove(sectorId, out _);

    /// <summary>Every sector here, ordered by id.</summary>
    public IReadOnlyList<SectorLoad> All() => _loads.Values.OrderBy(l => l.SectorId, StringComparer.Ordinal).ToList();

    private sealed class Provider : ExtensionIdProvider<SectorLoads>
    {
        public override SectorLoads CreateExtension(ExtendedActorSystem system) => new();
    }
}
