using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using AkkaGame.Node.Monitoring;
using AkkaGame.Operations.Commands;

namespace AkkaGame.Node.Placement;

/// <summary>
/// Sharding's allocation of sectors (one shard per sector), by load and by the operators' placement:
/// <list type="bullet">
/// <item>a pinned sector is allocated to its node and moved there by the next rebalance (every
/// second); a pin to a node without a region waits until there is one;</item>
/// <item>a reserved node gets only its pinned sectors, and any other sector on it moves away;</item>
/// <item>every other sector goes to the open node with the least load, where a sector's load is
/// its weight (<see cref="PlacementDecisions.Weight"/>: one, plus its players, plus its tick
/// work), and each rebalance moves at most one light sector from the most to the least loaded
/// node while that narrows the gap: so a node with a hot sector ends up with fewer others.</item>
/// </list>
/// Loads come from every node's <see cref="NodeMonitor"/>, asked at each rebalance by the node
/// that coordinates. The decisions are <see cref="PlacementDecisions"/> (pure).
/// </summary>
public sealed class PlacementAllocationStrategy(double tickIntervalMs) : IShardAllocationStrategy, IActorSystemDependentAllocationStrategy
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>Members on their way out get no new sectors (as sharding's default strategy does).</summary>
    private static readonly ImmutableHashSet<MemberStatus> Leaving = [MemberStatus.Leaving, MemberStatus.Exiting, MemberStatus.Down];

    private ActorSystem? _system;
    private Cluster? _cluster;
    private SectorPlacement? _placement;

    /// <summary>Each sector's weight as its node last reported it; 1 for a sector not reported yet.</summary>
    private ImmutableDictionary<string, double> _weights = ImmutableDictionary<string, double>.Empty;

    public void Start(ActorSystem system)
    {
        _system = system;
        _cluster = Cluster.Get(system);
        _placement = SectorPlacement.Get(system);
    }

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var view = View;
        var usable = Usable(currentShardAllocations);
        var regions = usable.Keys.GroupBy(AddressOf).ToDictionary(g => g.Key, g => g.First());
        if (PlacementDecisions.PinnedRegion(shardId, view, regions) is { } pinned)
        {
            return Task.FromResult(pinned);
        }

        var open = PlacementDecisions.OpenRegions(usable, view, AddressOf);
        return Task.FromResult(open.Count > 0 ? PlacementDecisions.LightestRegion(open, WeightOf, AddressOf) : requester);
    }

    public async Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress)
    {
        // As sharding's default strategy: no rebalance while a member is unreachable or joining
        // (the hand-off needs every region's answer, and a joining node is about to take shards).
        if (_cluster is { } cluster && cluster.State.Members.Any(m => cluster.State.Unreachable.Contains(m) || m.Status is MemberStatus.Joining or MemberStatus.WeaklyUp))
        {
            return ImmutableHashSet<string>.Empty;
        }

        await RefreshWeightsAsync(currentShardAllocations.Keys);
        var view = View;
        var usable = Usable(currentShardAllocations);
        var moves = PlacementDecisions.Misplaced(currentShardAllocations, view, AddressOf, usable.Keys.Select(AddressOf).ToHashSet());
        if (moves.Count == 0 && rebalanceInProgress.Count == 0)
        {
            var open = PlacementDecisions.OpenRegions(usable, view, AddressOf);
            if (PlacementDecisions.LoadMove(open, view, WeightOf) is { } move)
            {
                moves = moves.Add(move);
            }
        }

        return moves.Except(rebalanceInProgress);
    }

    private PlacementView View => _placement?.View ?? PlacementView.Empty;

    /// <summary>The regions that may take sectors: on members that are known and not leaving (all of them if none is).</summary>
    private IImmutableDictionary<IActorRef, IImmutableList<string>> Usable(IImmutableDictionary<IActorRef, IImmutableList<string>> allocations)
    {
        if (_cluster is not { } cluster)
        {
            return allocations;
        }

        var staying = cluster.State.Members.Where(m => !Leaving.Contains(m.Status)).Select(m => m.Address).ToHashSet();
        var usable = allocations.Where(kv => staying.Contains(AddressOf(kv.Key))).ToImmutableDictionary();
        return usable.Count > 0 ? usable : allocations;
    }

    private double WeightOf(string sectorId) => _weights.GetValueOrDefault(sectorId, 1);

    /// <summary>A region's node (this node's own region has a local address: its cluster address instead).</summary>
    private Address AddressOf(IActorRef region) => _system is null ? region.Path.Address : ClusterAddresses.Normalize(_system, region.Path.Address);

    /// <summary>Asks every node with a region for its sectors' loads; a node that does not answer in time keeps its last weights.</summary>
    private async Task RefreshWeightsAsync(IEnumerable<IActorRef> regions)
    {
        if (_system is null)
        {
            return;
        }

        var answers = await Task.WhenAll(regions.Select(AddressOf).Distinct().Select(async node =>
        {
            try
            {
                var monitor = _system.ActorSelection(new RootActorPath(node) / "user" / NodeMonitor.Name);
                return (await monitor.Ask<NodeLoad>(GetNodeLoad.Instance, LoadTimeout)).Sectors;
            }
            catch (Exception ex) when (ex is AskTimeoutException or TaskCanceledException)
            {
                return null;
            }
        }));
        var weights = _weights.ToBuilder();
        foreach (var load in answers.OfType<IReadOnlyList<SectorLoad>>().SelectMany(l => l))
        {
            weights[load.SectorId] = PlacementDecisions.Weight(load, tickIntervalMs);
        }

        _weights = weights.ToImmutable();
    }
}

/// <summary>The placement rules, without actors: what <see cref="PlacementAllocationStrategy"/> decides.</summary>
public static class PlacementDecisions
{
    /// <summary>
    /// What a sector costs its node, in units of an empty sector: 1, plus one per 100 connected
    /// players, plus 20 × the share of its tick interval its ticks take (p99). A sector of 1,000
    /// players whose ticks take half the interval weighs 21.
    /// </summary>
    public static double Weight(SectorLoad load, double tickIntervalMs)
    {
        ArgumentNullException.ThrowIfNull(load);
        return 1 + load.ConnectedShips / 100.0 + 20 * Math.Min(1, load.TickMillisP99 / tickIntervalMs);
    }

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

    /// <summary>The least loaded region; ties go to fewer sectors, then to the lower address (deterministic).</summary>
    public static IActorRef LightestRegion(IImmutableDictionary<IActorRef, IImmutableList<string>> regions, Func<string, double> weightOf, Func<IActorRef, Address> addressOf) =>
        regions.OrderBy(kv => kv.Value.Sum(weightOf)).ThenBy(kv => kv.Value.Count).ThenBy(kv => addressOf(kv.Key).ToString(), StringComparer.Ordinal).First().Key;

    /// <summary>
    /// Sectors to move now: pinned ones away from their node while it can take them (one of
    /// <paramref name="targets"/>, the nodes that may take sectors; all with a region by default),
    /// and unpinned ones on a reserved node while another node takes them.
    /// </summary>
    public static IImmutableSet<string> Misplaced(
        IImmutableDictionary<IActorRef, IImmutableList<string>> allocations, PlacementView view, Func<IActorRef, Address> addressOf, IReadOnlySet<Address>? targets = null)
    {
        var addresses = targets ?? allocations.Keys.Select(addressOf).ToHashSet();
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

    /// <summary>
    /// One sector to move for load, or null: the lightest unpinned sector of the most loaded open
    /// region, when the gap to the least loaded one is more than twice its weight plus one, so
    /// the move narrows the gap and cannot reverse it (no sector moves back and forth).
    /// </summary>
    public static string? LoadMove(IImmutableDictionary<IActorRef, IImmutableList<string>> open, PlacementView view, Func<string, double> weightOf)
    {
        if (open.Count < 2)
        {
            return null;
        }

        var loads = open.Select(kv => (Shards: kv.Value, Load: kv.Value.Sum(weightOf))).ToList();
        var heaviest = loads.MaxBy(l => l.Load);
        var lightest = loads.MinBy(l => l.Load);
        var candidate = heaviest.Shards.Where(s => !view.Pins.ContainsKey(s)).OrderBy(weightOf).ThenBy(s => s, StringComparer.Ordinal).FirstOrDefault();
        return candidate is not null && heaviest.Load - lightest.Load > 2 * weightOf(candidate) + 1 ? candidate : null;
    }
}
