using System.CommandLine;
using AkkaGame.CommandLine;
using AkkaGame.Node.Hosting;

namespace AkkaGame.Node;

public static class Program
{
    public static Task<int> Main(string[] args) => CommandRunner.RunAsync(Command(Environment.GetEnvironmentVariable), args);

    /// <summary>The node's command line: run a node (the options), <c>token mint</c>, or <c>health</c>.</summary>
    public static RootCommand Command(Func<string, string?> environment)
    {
        var root = new RootCommand("AkkaGame node: a game server node in an Akka.NET cluster. Every option is also an environment variable (in brackets).");
        var options = NodeOptions.Define(environment);
        options.AddTo(root);
        root.SetAction((parsed, _) => RunAsync(options.Read(parsed)));
        root.Subcommands.Add(TokenCommand.Create(environment));
        root.Subcommands.Add(HealthCommand.Create(environment, defaultHttpPort: 8080));
        return root;
    }

    private static async Task<int> RunAsync(NodeOptions options)
    {
        var config = NodeConfig.Build(options);
        var node = await GameNode.StartAsync(config);

        // Ctrl+C runs the same graceful shutdown as SIGTERM (which Akka's CLR hook handles).
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            _ = node.StopAsync();
        };

        var endpoint = node.GameEndpoint;
        var browsers = node.WebSockets is { } ws ? $"browser clients on {ws.SocketUrl} (play at {ws.PageUrl})" : $"WebSocket gateway off: {node.WebSocketProblem}";
        var dashboard = node.Http is { } http ? $"dashboard {http.Url} (metrics {http.Url}metrics)" : $"HTTP endpoint off: {node.HttpProblem}";
        var operators = node.OpsEndpoint is { } ops ? $"operators: akkagame-ops {ops.Address}:{ops.Port}" : $"operator endpoint off: {node.OpsProblem}";
        Console.WriteLine(
            $"AkkaGame node ready: game clients on {endpoint.Address}:{endpoint.Port}; {browsers}; cluster address {Akka.Cluster.Cluster.Get(node.System).SelfAddress}; " +
            $"storage {config.GetString("akkagame.db-provider")}; guests {(node.Settings.Auth.AllowGuests ? "allowed" : "refused")}; {dashboard}; {operators}");
        await node.System.WhenTerminated;
        Console.WriteLine("AkkaGame node stopped.");
        return 0;
    }
}
