using Akka.Actor;
using Akka.Cluster.Sharding;
using AkkaGame.Node.Messages;
using AkkaGame.Operations.Commands;

namespace AkkaGame.Node.Operations;

/// <summary>A running sector and the node hosting it.</summary>
public sealed record LiveSector(string SectorId, string Node);

/// <summary>
/// Finds running sectors without starting any: asks the coordinator which nodes host sector
/// regions, then each of those regions for its shards and entity ids (GetShardRegionState).
/// </summary>
public static class LiveSectors
{
    public const string RegionName = "sector";

    /// <summary>Sectors on every node, and the nodes that did not answer in time.</summary>
    public static async Task<(List<LiveSector> Sectors, List<string> Silent)> InClusterAsync(ActorSystem system, IActorRef sectors, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(sectors);
        var regions = await sectors.Ask<CurrentRegions>(GetCurrentRegions.Instance, timeout);
        var found = new List<LiveSector>();
        var silent = new List<string>();
        var answers = await Task.WhenAll(regions.Regions.Select(async address =>
        {
            var node = ClusterAddresses.Normalize(system, address);
            var region = system.ActorSelection(new RootActorPath(node) / "system" / "sharding" / RegionName);
            try
            {
                return (Node: node.ToString(), State: await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout));
            }
            catch (AskTimeoutException)
            {
                // That node is busy, leaving or unreachable: reported by name instead of failing the whole list.
                return (Node: node.ToString(), State: (CurrentShardRegionState?)null);
            }
        }));
        foreach (var (node, state) in answers)
        {
            if (state is null)
            {
                silent.Add(node);
                continue;
            }

            found.AddRange(state.Shards.SelectMany(s => s.EntityIds).Select(id => new LiveSector(id, node)));
        }

        return (found.OrderBy(s => s.SectorId, StringComparer.Ordinal).ToList(), silent);
    }

    /// <summary>Sector ids running on this node.</summary>
    public static async Task<List<string>> OnThisNodeAsync(IActorRef sectors, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(sectors);
        var state = await sectors.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, timeout);
        return state.Shards.SelectMany(s => s.EntityIds).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Asks each sector for its summary; a sector that stopped in between is left out.</summary>
    public static async Task<List<SectorInfo>> InfoAsync(IActorRef sectors, IEnumerable<string> ids, TimeSpan timeout)
    {
        var infos = await Task.WhenAll(ids.Select(async id =>
        {
            try
            {
                return await sectors.Ask<SectorInfo>(new GetSectorInfo(id), timeout);
            }
            catch (AskTimeoutException)
            {
                // Moving between nodes right now; the next listing shows it where it landed.
                return null;
            }
        }));
        return infos.OfType<SectorInfo>().ToList();
    }
}
