using Akka.Actor;
using Akka.Cluster;
using AkkaGame.Game.Simulation;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Monitoring;

namespace AkkaGame.Node.Dashboard;

/// <summary>
/// What the dashboard shows, gathered without waking any sector: the cluster's members as this
/// node sees them, every game node's load from its <see cref="NodeMonitor"/>, and one live
/// sector's ships, asteroids and gates for the spectator view. The overview is cached briefly, so
/// many open dashboards cost the cluster what one does.
/// </summary>
public sealed class DashboardData(ActorSystem system, IActorRef sectors, WorldRules world)
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CacheFor = TimeSpan.FromMilliseconds(500);

    private readonly object _lock = new();
    private (Task<Overview> Gathering, long StartedMs)? _latest;

    /// <summary>The overview, gathered at most every half second however many ask (they share one gathering).</summary>
    public Task<Overview> OverviewAsync(CancellationToken ct)
    {
        lock (_lock)
        {
            var now = Environment.TickCount64;
            if (_latest is not { } latest || (latest.Gathering.IsCompleted && now - latest.StartedMs >= CacheFor.TotalMilliseconds))
            {
                _latest = latest = (GatherAsync(), now);
            }

            return latest.Gathering.WaitAsync(ct);
        }
    }

    /// <summary>A live sector's view, or null when no node runs it (asking would start it).</summary>
    public async Task<SectorView?> SectorAsync(string sectorId, CancellationToken ct)
    {
        var overview = await OverviewAsync(ct);
        var host = overview.Nodes.FirstOrDefault(n => n.Sectors.Any(s => s.SectorId == sectorId));
        if (host is null)
        {
            return null;
        }

        SectorInfo info;
        try
        {
            info = await sectors.Ask<SectorInfo>(new GetSectorInfo(sectorId), AskTimeout, ct);
        }
        catch (AskTimeoutException)
        {
            // Moving between nodes right now; the next frame finds it where it landed.
            return null;
        }

        var layout = SectorLayout.For(sectorId, world);
        return new SectorView(
            sectorId,
            host.Node,
            info.Tick,
            world.Width,
            world.Height,
            info.ShipList.Select(s => new ShipView(s.PlayerId, s.Name, s.X, s.Y, s.Connected)).ToList(),
            info.AsteroidList.Select(a => new AsteroidView(a.Id, a.X, a.Y, a.Ore)).ToList(),
            layout.Gates.Select(g => new GateView(g.Id, g.Position.X, g.Position.Y, g.ToSector)).ToList());
    }

    private async Task<Overview> GatherAsync()
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var members = state.Members
            .Select(m => new MemberView(m.Address.ToString(), m.Status.ToString(), [.. m.Roles], !state.Unreachable.Contains(m)))
            .ToList();
        var gameNodes = state.Members
            .Where(m => m.HasRole(Hosting.GameNode.GameRole) && m.Status is MemberStatus.Up or MemberStatus.Leaving && !state.Unreachable.Contains(m))
            .Select(m => m.Address)
            .ToList();
        var answers = await Task.WhenAll(gameNodes.Select(async address =>
        {
            try
            {
                var monitor = system.ActorSelection(new RootActorPath(address) / "user" / NodeMonitor.Name);
                return (address, Load: await monitor.Ask<NodeLoad>(GetNodeLoad.Instance, AskTimeout));
            }
            catch (Exception e) when (e is AskTimeoutException or ActorNotFoundException)
            {
                return (address, Load: (NodeLoad?)null);
            }
        }));
        return new Overview(
            cluster.SelfAddress.ToString(),
            DateTimeOffset.UtcNow,
            new WorldView(world.SectorsX, world.SectorsY, world.Width, world.Height, world.TickHz),
            members,
            answers.Where(a => a.Load is not null).Select(a => a.Load!).OrderBy(l => l.Node, StringComparer.Ordinal).ToList(),
            answers.Where(a => a.Load is null).Select(a => a.address.ToString()).ToList());
    }
}

public sealed record Overview(string Self, DateTimeOffset Time, WorldView World, IReadOnlyList<MemberView> Members, IReadOnlyList<NodeLoad> Nodes, IReadOnlyList<string> Silent);

public sealed record WorldView(int SectorsX, int SectorsY, float Width, float Height, int TickHz);

public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable);

public sealed record SectorView(string SectorId, string Node, ulong Tick, float Width, float Height, IReadOnlyList<ShipView> Ships, IReadOnlyList<AsteroidView> Asteroids, IReadOnlyList<GateView> Gates);

public sealed record ShipView(string PlayerId, string Name, float X, float Y, bool Connected);

public sealed record AsteroidView(string Id, float X, float Y, int Ore);

public sealed record GateView(string Id, float X, float Y, string ToSector);
