using System.Diagnostics.Metrics;
using Akka.Cluster;

namespace AkkaGame.Operations.Http;

/// <summary>The cluster as this member sees it, as metrics: members by status, unreachable members.</summary>
public static class ClusterMetrics
{
    private static readonly MemberStatus[] Statuses = Enum.GetValues<MemberStatus>();

    public static void Observe(Meter meter, Cluster cluster)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(cluster);
        meter.CreateObservableGauge(
            "akkagame.cluster.members",
            () =>
            {
                var members = cluster.State.Members;
                return Statuses.Select(status => new Measurement<int>(
                    members.Count(m => m.Status == status),
                    new KeyValuePair<string, object?>("status", status.ToString().ToLowerInvariant())));
            },
            unit: "{member}",
            description: "Cluster members this node sees, by status (up, joining, leaving, exiting, down, removed, weaklyup, preparingforshutdown, readyforshutdown).");
        meter.CreateObservableGauge(
            "akkagame.cluster.unreachable.members",
            () => cluster.State.Unreachable.Count,
            unit: "{member}",
            description: "Members this node's failure detector marks unreachable.");
    }
}
