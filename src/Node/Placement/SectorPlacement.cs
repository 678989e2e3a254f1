using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;

namespace AkkaGame.Node.Placement;

/// <summary>
/// Where operators want sectors: sectors pinned to a node (<c>game sector move</c>, <c>game
/// reinforce</c>) and nodes reserved for the sectors pinned to them (<c>game reinforce</c>).
/// Replicated to every node with Distributed Data, so whichever node runs the shard coordinator
/// reads it locally (<see cref="PlacementAllocationStrategy"/>). Kept in memory by the cluster:
/// a whole-cluster restart forgets it, as it forgets where every shard was.
/// </summary>
public sealed record PlacementView(ImmutableDictionary<string, Address> Pins, ImmutableHashSet<Address> Reserved)
{
    public static PlacementView Empty { get; } = new(ImmutableDictionary<string, Address>.Empty, []);
}

/// <summary>Reads and changes the placement; an Akka extension, one per node.</summary>
public sealed class SectorPlacement : IExtension
{
    public static readonly LWWDictionaryKey<string, string> PinsKey = new("akkagame-sector-pins");
    public static readonly ORSetKey<string> ReservedKey = new("akkagame-reserved-nodes");

    private readonly ActorSystem _system;
    private readonly IActorRef _replicator;
    private volatile PlacementView _view = PlacementView.Empty;

    private SectorPlacement(ExtendedActorSystem system)
    {
        _system = system;
        _replicator = DistributedData.Get(system).Replicator;
        system.ActorOf(Props.Create(() => new Subscriber(this)), "sector-placement");
    }

    /// <summary>The placement as this node last heard of it.</summary>
    public PlacementView View => _view;

    public static SectorPlacement Get(ActorSystem system) => system.WithExtension<SectorPlacement, Provider>();

    /// <summary>Pins a sector to a node: the coordinator moves it there (snapshot first, as a drain does).</summary>
    public Task PinAsync(string sectorId, Address node, TimeSpan timeout) =>
        UpdateAsync(PinsKey, LWWDictionary<string, string>.Empty, d => d.SetItem(Cluster.Get(_system), sectorId, node.ToString()), timeout);

    /// <summary>Lets sharding place the sector again.</summary>
    public Task UnpinAsync(string sectorId, TimeSpan timeout) =>
        UpdateAsync(PinsKey, LWWDictionary<string, string>.Empty, d => d.Remove(Cluster.Get(_system), sectorId), timeout);

    /// <summary>Reserves a node for these sectors: they move there, and every other sector moves away.</summary>
    public async Task ReserveAsync(Address node, IReadOnlyCollection<string> sectorIds, TimeSpan timeout)
    {
        await UpdateAsync(PinsKey, LWWDictionary<string, string>.Empty, d =>
        {
            foreach (var sector in sectorIds)
            {
                d = d.SetItem(Cluster.Get(_system), sector, node.ToString());
            }

            return d;
        }, timeout);
        await UpdateAsync(ReservedKey, ORSet<string>.Empty, s => s.Add(Cluster.Get(_system), node.ToString()), timeout);
    }

    /// <summary>Ends a reservation: the node takes any sector again, and its pinned sectors are unpinned.</summary>
    public async Task ReleaseAsync(Address node, TimeSpan timeout)
    {
        var cluster = Cluster.Get(_system);
        var name = node.ToString();
        await UpdateAsync(ReservedKey, ORSet<string>.Empty, s => s.Remove(cluster, name), timeout);

        // From the replicated data itself, not this node's view, which may not have heard of the latest pins yet.
        await UpdateAsync(PinsKey, LWWDictionary<string, string>.Empty, d =>
            d.Entries.Where(e => e.Value == name).Aggregate(d, (pins, e) => pins.Remove(cluster, e.Key)), timeout);
    }

    private async Task UpdateAsync<T>(IKey<T> key, T initial, Func<T, T> modify, TimeSpan timeout)
        where T : IReplicatedData<T>
    {
        // Majority: a coordinator that moves to another node still finds the change there.
        var response = await _replicator.Ask<IUpdateResponse>(Dsl.Update(key, initial, new WriteMajority(timeout), modify), timeout + TimeSpan.FromSeconds(1));
        if (!response.IsSuccessful)
        {
            throw new InvalidOperationException($"the placement change was not confirmed by a majority of nodes within {timeout.TotalSeconds:0.#} s ({response.GetType().Name}); it may still spread");
        }
    }

    private void Apply(Changed changed)
    {
        var view = _view;
        if (changed.Key.Equals(PinsKey))
        {
            var pins = changed.Get(PinsKey).Entries
                .Select(e => (Sector: e.Key, Ok: Address.TryParse(e.Value, out var a), Address: a))
                .Where(p => p.Ok)
                .ToImmutableDictionary(p => p.Sector, p => p.Address!, StringComparer.Ordinal);
            view = view with { Pins = pins };
        }
        else if (changed.Key.Equals(ReservedKey))
        {
            var reserved = changed.Get(ReservedKey).Elements
                .Select(e => Address.TryParse(e, out var a) ? a : null)
                .OfType<Address>()
                .ToImmutableHashSet();
            view = view with { Reserved = reserved };
        }

        _view = view;
    }

    /// <summary>Keeps <see cref="View"/> current.</summary>
    private sealed class Subscriber : ReceiveActor
    {
        public Subscriber(SectorPlacement placement)
        {
            var replicator = DistributedData.Get(Context.System).Replicator;
            replicator.Tell(Dsl.Subscribe(PinsKey, Self));
            replicator.Tell(Dsl.Subscribe(ReservedKey, Self));
            Receive<Changed>(placement.Apply);
        }
    }

    private sealed class Provider : ExtensionIdProvider<SectorPlacement>
    {
        public override SectorPlacement CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
