using System.Collections.Immutable;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using AkkaGame.Node.Placement;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

/// <summary>The placement rules without a cluster: regions stand in as probes on three addresses.</summary>
public class PlacementDecisionsTests : TestKit
{
    private static readonly Address A = new("akka.tcp", "akkagame", "127.0.0.1", 4001);
    private static readonly Address B = new("akka.tcp", "akkagame", "127.0.0.1", 4002);
    private static readonly Address C = new("akka.tcp", "akkagame", "127.0.0.1", 4003);

    private readonly Dictionary<IActorRef, Address> _addresses = [];

    private IActorRef Region(Address address)
    {
        var region = CreateTestProbe().Ref;
        _addresses[region] = address;
        return region;
    }

    private Address AddressOf(IActorRef region) => _addresses[region];

    private static PlacementView View(IEnumerable<(string Sector, Address Node)> pins, params Address[] reserved) =>
        new(pins.ToImmutableDictionary(p => p.Sector, p => p.Node), [.. reserved]);

    [Fact]
    public void A_pinned_sector_goes_to_its_node_and_moves_there_if_elsewhere()
    {
        var (a, b) = (Region(A), Region(B));
        var allocations = Allocations((a, ["s-0-0", "s-1-0"]), (b, ["s-2-0"]));
        var view = View([("s-0-0", B), ("s-2-0", B)]);

        Assert.Equal(b, PlacementDecisions.PinnedRegion("s-0-0", view, new Dictionary<Address, IActorRef> { [A] = a, [B] = b }));
        Assert.Null(PlacementDecisions.PinnedRegion("s-1-0", view, new Dictionary<Address, IActorRef> { [A] = a, [B] = b }));
        Assert.Equal(["s-0-0"], PlacementDecisions.Misplaced(allocations, view, AddressOf));
    }

    [Fact]
    public void A_pin_to_a_node_without_a_region_is_ignored_until_it_has_one()
    {
        var a = Region(A);
        var allocations = Allocations((a, ["s-0-0"]));
        var view = View([("s-0-0", C)]);

        Assert.Null(PlacementDecisions.PinnedRegion("s-0-0", view, new Dictionary<Address, IActorRef> { [A] = a }));
        Assert.Empty(PlacementDecisions.Misplaced(allocations, view, AddressOf));
    }

    [Fact]
    public void A_reserved_node_takes_no_other_sector_and_sheds_those_it_has()
    {
        var (a, b, c) = (Region(A), Region(B), Region(C));
        var allocations = Allocations((a, ["s-0-0"]), (b, ["s-1-0", "s-2-0"]), (c, []));
        var view = View([("s-1-0", B)], B);

        var open = PlacementDecisions.OpenRegions(allocations, view, AddressOf);
        Assert.Equal([a, c], open.Keys.OrderBy(r => AddressOf(r).Port));
        Assert.Equal(["s-2-0"], PlacementDecisions.Misplaced(allocations, view, AddressOf));
    }

    [Fact]
    public void When_every_node_is_reserved_sectors_still_run_somewhere()
    {
        var (a, b) = (Region(A), Region(B));
        var allocations = Allocations((a, ["s-0-0"]), (b, ["s-1-0"]));
        var view = View([("s-1-0", B)], A, B);

        Assert.Equal(2, PlacementDecisions.OpenRegions(allocations, view, AddressOf).Count);
        Assert.Empty(PlacementDecisions.Misplaced(allocations, view, AddressOf));
    }

    [Fact]
    public void A_sectors_weight_counts_its_players_and_its_tick_work()
    {
        Assert.Equal(1, PlacementDecisions.Weight(new Monitoring.SectorLoad("s-0-0", 0, 0, 0), 50), 6);
        Assert.Equal(21, PlacementDecisions.Weight(new Monitoring.SectorLoad("s-0-0", 1000, 1000, 25), 50), 6);

        // Ticks slower than the interval count as a full interval: a weight is bounded.
        Assert.Equal(23, PlacementDecisions.Weight(new Monitoring.SectorLoad("s-0-0", 300, 200, 500), 50), 6);
    }

    [Fact]
    public void New_sectors_go_to_the_least_loaded_node_not_the_one_with_fewest_sectors()
    {
        var (a, b) = (Region(A), Region(B));
        var allocations = Allocations((a, ["hot"]), (b, ["s-1", "s-2", "s-3"]));
        double Weight(string s) => s == "hot" ? 21 : 1;

        Assert.Equal(b, PlacementDecisions.LightestRegion(allocations, Weight, AddressOf));
        Assert.Equal(a, PlacementDecisions.LightestRegion(allocations, _ => 1, AddressOf));
    }

    [Fact]
    public void Rebalancing_by_load_leaves_the_hot_sector_alone_on_its_node_and_then_stops()
    {
        var (a, b) = (Region(A), Region(B));
        var shards = new Dictionary<IActorRef, List<string>>
        {
            [a] = ["hot", "s-1", "s-2", "s-3", "s-4", "s-5"],
            [b] = ["s-6", "s-7", "s-8", "s-9", "s-10", "s-11"],
        };
        double Weight(string s) => s == "hot" ? 21 : 1;

        var moved = new List<string>();
        for (var round = 0; round < 20; round++)
        {
            var move = PlacementDecisions.LoadMove(Allocations((a, [.. shards[a]]), (b, [.. shards[b]])), PlacementView.Empty, Weight);
            if (move is null)
            {
                break;
            }

            var from = shards.Single(kv => kv.Value.Contains(move)).Key;
            shards[from].Remove(move);
            shards[from == a ? b : a].Add(move);
            moved.Add(move);
        }

        Assert.Equal(["hot"], shards[a]);
        Assert.Equal(5, moved.Count);
        Assert.DoesNotContain("hot", moved);

        // Balanced by count, equal weights: nothing to do (no sector moves back and forth).
        Assert.Null(PlacementDecisions.LoadMove(Allocations((a, ["s-1", "s-2"]), (b, ["s-3"])), PlacementView.Empty, _ => 1));
    }

    [Fact]
    public void A_pin_to_a_node_that_is_leaving_does_not_move_the_sector_there()
    {
        var (a, b) = (Region(A), Region(B));
        var allocations = Allocations((a, ["s-0-0"]), (b, []));
        var view = View([("s-0-0", B)]);

        Assert.Equal(["s-0-0"], PlacementDecisions.Misplaced(allocations, view, AddressOf, new HashSet<Address> { A, B }));
        Assert.Empty(PlacementDecisions.Misplaced(allocations, view, AddressOf, new HashSet<Address> { A }));
    }

    private static ImmutableDictionary<IActorRef, IImmutableList<string>> Allocations(params (IActorRef Region, string[] Shards)[] regions) =>
        regions.ToImmutableDictionary(r => r.Region, r => (IImmutableList<string>)r.Shards.ToImmutableList());
}
