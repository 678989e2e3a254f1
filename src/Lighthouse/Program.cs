using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace AkkaGame.Lighthouse;

/// <summary>
/// The seed node: forms the cluster and lets game nodes find each other. Runs no game entities
/// (role "lighthouse"; sharding runs only on role "game"). Configured like the well-known
/// Lighthouse image: ACTORSYSTEM, CLUSTER_IP, CLUSTER_PORT (default 4053), CLUSTER_SEEDS,
/// with --akka-host, --akka-port and --seeds on the command line winning.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        LighthouseOptions options;
        try
        {
            options = LighthouseOptions.Parse(args, Environment.GetEnvironmentVariable);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            await Console.Error.WriteLineAsync(LighthouseOptions.Usage);
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(LighthouseOptions.Usage);
            return 0;
        }

        var system = ActorSystem.Create(options.SystemName, options.ToConfig());
        var cluster = Cluster.Get(system);
        cluster.RegisterOnMemberUp(() => Console.WriteLine(
            $"AkkaGame lighthouse ready: seed {cluster.SelfAddress}; members join with --seeds {cluster.SelfAddress}"));

        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            _ = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        };

        await system.WhenTerminated;
        Console.WriteLine("AkkaGame lighthouse stopped.");
        return 0;
    }
}
