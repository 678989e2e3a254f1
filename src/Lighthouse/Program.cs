using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Event;
using AkkaGame.CommandLine;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Endpoint;
using AkkaGame.Operations.Http;
using System.Diagnostics.Metrics;

namespace AkkaGame.Lighthouse;

/// <summary>
/// The seed node: forms the cluster and lets game nodes find each other. Runs no game entities
/// (role "lighthouse"; sharding runs only on role "game"). Configured like the well-known
/// Lighthouse image: ACTORSYSTEM, CLUSTER_IP, CLUSTER_PORT (default 4053), CLUSTER_SEEDS,
/// with --akka-host, --akka-port and --seeds on the command line winning.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) =>
        CommandRunner.RunAsync(LighthouseOptions.Command(Environment.GetEnvironmentVariable, RunAsync), args);

    private static async Task<int> RunAsync(LighthouseOptions options)
    {
        var remembered = KnownMembers.Read(options.DataDir, options.SelfAddress);
        var config = options.ToConfig(remembered);
        var opsSettings = OpsSettings.From(config);
        var httpSettings = HttpSettings.From(config);
        try
        {
            opsSettings.BindAddress();
            httpSettings.BindAddress();
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return 2;
        }

        var system = ActorSystem.Create(options.SystemName, config);
        var operators = StartOps(system, opsSettings);
        system.ActorOf(KnownMembers.Props(options.DataDir), "known-members");
        var cluster = Cluster.Get(system);
        var http = await StartHttpAsync(system, cluster, httpSettings);
        cluster.RegisterOnMemberUp(() => Console.WriteLine(
            $"AkkaGame lighthouse ready: seed {cluster.SelfAddress}; members join with --seeds {cluster.SelfAddress}; {http}; {operators}"));
        if (remembered.Count > 0)
        {
            system.Log.Info("Asking remembered members {0} before forming a cluster alone", string.Join(", ", remembered));
        }

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            _ = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        };

        await system.WhenTerminated;
        Console.WriteLine("AkkaGame lighthouse stopped.");
        return 0;
    }

    /// <summary>
    /// Metrics (the cluster's members by status, the runtime's figures) and health: ready once
    /// this lighthouse is an Up member. A taken port leaves it running without them.
    /// </summary>
    private static async Task<string> StartHttpAsync(ActorSystem system, Cluster cluster, HttpSettings settings)
    {
        var meter = new Meter("AkkaGame.Lighthouse");
        ClusterMetrics.Observe(meter, cluster);
        var (endpoint, problem) = await HttpEndpoint.TryStartAsync(
            settings,
            "akkagame-lighthouse",
            meter.Name,
            _ => Task.FromResult(cluster.SelfMember.Status == MemberStatus.Up
                ? new Readiness(true, $"ready: seed {cluster.SelfAddress}")
                : new Readiness(false, $"cluster member {cluster.SelfMember.Status}, not Up")));
        if (endpoint is null)
        {
            meter.Dispose();
            system.Log.Warning("HTTP endpoint off: {0}", problem);
            return "HTTP endpoint off: " + problem;
        }

        system.RegisterOnTermination(() =>
        {
            endpoint.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(3));
            meter.Dispose();
        });
        return $"metrics {endpoint.Url}metrics";
    }

    /// <summary>
    /// The shared operator commands (cluster, actors, log). A taken port leaves the lighthouse
    /// running without them: a seed node matters more than its console.
    /// </summary>
    private static string StartOps(ActorSystem system, OpsSettings settings)
    {
        var (endpoint, problem) = OpsEndpoint.TryStart(system, settings, SharedCommands.All());
        return endpoint is not null
            ? $"operators: akkagame-ops {endpoint.LocalEndpoint.Address}:{endpoint.LocalEndpoint.Port}"
            : "operator endpoint off: " + problem;
    }
}
