using Akka.Actor;
using AkkaGame.Node.Hosting;

namespace AkkaGame.Node;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
            {
                Console.WriteLine(Usage);
                return 0;
            }

            if (args.Length >= 2 && args[0] == "token" && args[1] == "mint")
            {
                return TokenCommand.Mint(args.Skip(2).ToList());
            }

            return await RunAsync(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
    }

    private static string Usage => $"""
        AkkaGame node: a game server node in an Akka.NET cluster.

        usage:
          AkkaGame.Node [options]                          run a node
          AkkaGame.Node token mint PLAYER NAME [--ttl 24h] [--auth-secret S | --data-dir D]
                                                           print a signed player token

        options (each also an environment variable):
        {NodeOptions.Help()}
        """;

    private static async Task<int> RunAsync(string[] args)
    {
        var options = NodeOptions.Parse(args, Environment.GetEnvironmentVariable);
        var config = NodeConfig.Build(options);
        var node = await GameNode.StartAsync(config);

        // Ctrl+C runs the same graceful shutdown as SIGTERM (which Akka's CLR hook handles).
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            _ = node.StopAsync();
        };

        var endpoint = node.GameEndpoint;
        var operators = node.OpsEndpoint is { } ops ? $"operators: akkagame-ops {ops.Address}:{ops.Port}" : $"operator endpoint off: {node.OpsProblem}";
        Console.WriteLine(
            $"AkkaGame node ready: game clients on {endpoint.Address}:{endpoint.Port}; cluster address {Akka.Cluster.Cluster.Get(node.System).SelfAddress}; " +
            $"storage {config.GetString("akkagame.db-provider")}; guests {(node.Settings.Auth.AllowGuests ? "allowed" : "refused")}; {operators}");
        await node.System.WhenTerminated;
        Console.WriteLine("AkkaGame node stopped.");
        return 0;
    }
}
