using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;

namespace AkkaGame.Node.Placement;

/// <summary>
/// Sharding's allocation of sectors (one shard per sector) with the operators' placement on top
/// of the default strategy: a pinned sector is allocated to its node and moved there by the next
/// rebalance (every second); a reserved node gets only its pinned sectors, and any other sector
/// on it is moved away; everything else is placed by the default strategy among the nodes that
/// are not reserved. A pin to a node that is not (or no longer) a game node is ignored until
/// it is one. The decisions are <see cref="PlacementDecisions"/> (pure).
/// </summary>
public sealed class PlacementAllocationStrategy(IShardAllocationStrategy fallback) : IShardAllocationStrategy, IActorSystemDependentAllocationStrategy
{
    private SectorPlacement? _placement;
    private Address? _self;

    public void Start(ActorSystem system)
    {
        _placement = SectorPlacement.Get(system);
        _self = Cluster.Get(system).SelfAddress;
        (fallback as IActorSystemDependentAllocationStrategy)?.Start(system);
    }

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var view = View;
        var regions = ByAddress(currentShardAllocations);
        if (PlacementDecisions.PinnedRegion(shardId, view, regions) is { } pinned)
        {
            return Task.FromResult(pinned);
        }

        var open = PlacementDecisions.OpenRegions(currentShardAllocations, view, AddressOf);
        return fallback.AllocateShard(requester, shardId, open);
    }

    public async Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        var view = View;
        var moves = PlacementDecisions.Misplaced(currentShardAllocations, view, AddressOf);

        // The default strategy balances the rest: unpinned sectors, on nodes that are not reserved.
        var open = PlacementDecisions.OpenRegions(currentShardAllocations, view, AddressOf)
            .ToImmutableDictionary(kv => kv.Key, kv => (IImmutableList<string>)kv.Value.Where(s => !view.Pins.ContainsKey(s)).ToImmutableList());
        var balanced = await fallback.Rebalance(open, rebalanceInProgress);
        return moves.Union(balanced).Except(rebalanceInProgress);
    }

    private PlacementView View => _placement?.View ?? PlacementView.Empty;

    /// <summary>This node's own region has a local address: the node's cluster address instead.</summary>
    private Address AddressOf(IActorRef region) => region.Path.Address.HasLocalScope && _self is not null ? _self : region.Path.Address;

    private Dictionary<Address, IActorRef> ByAddress(IImmutableDictionary<IActorRef, IImmutableList<string>> allocations) =>
        allocations.Keys.GroupBy(AddressOf).ToDictionary(g => g.Key, g => g.First());
}

/// <summary>The placement rules, without actors: what <see cref="PlacementAllocationStrategy"/> decides.</summary>
public static class PlacementDecisions
{
    /// <summary>The region a pinned sector must go to, or null (not pinned, or its node has no region).</summary>
    public static IActorRef? PinnedRegion(string shardId, PlacementView view, IReadOnlyDictionary<Address, IActorRef> regions) =>
        view.Pins.TryGetValue(shardId, out var node) && regions.TryGetValue(node, out var region) ? region : null;

    /// <summary>The regions that take sectors nobody pinned: all but the reserved nodes' (all of them if every node is reserved).</summary>
    public static IImmutableDictionary<IActorRef, IImmutableList<string>> OpenRegions(
        IImmutableDictionary<IActorRef, IImmutableList<string>> allocations, PlacementView view, Func<IActorRef, Address> addressOf)
    {
        var open = allocations.Where(kv => !view.Reserved.Contains(addressOf(kv.Key))).ToImmutableDictionary();
        return open.Count > 0 ? open : allocations;
    }

    /// <summary>
    /// Sectors to move now: pinned ones away from their node while it has a region, and unpinned
    /// ones on a reserved node while another node takes them.
    /// </summary>
    public static IImmutableSet<string> Misplaced(
        IImmutableDictionary<IActorRef, IImmutableList<string>> allocations, PlacementView view, Func<IActorRef, Address> addressOf)
    {
        var addresses = allocations.Keys.Select(addressOf).ToHashSet();
        var anyOpen = addresses.Any(a => !view.Reserved.Contains(a));
        var moves = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var (region, shards) in allocations)
        {
            var here = addressOf(region);
            foreach (var shard in shards)
            {
                if (view.Pins.TryGetValue(shard, out var wanted))
                {
                    if (!wanted.Equals(here) && addresses.Contains(wanted))
                    {
                        moves.Add(shard);
                    }
                }
                else if (view.Reserved.Contains(here) && anyOpen)
                {
                    moves.Add(shard);
                }
            }
        }

        return moves.ToImmutable();
    }
}
