using System.Net.Sockets;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Ops;

/// <summary>
/// akkagame-ops: <c>HOST:PORT COMMAND...</c> runs one command; <c>HOST:PORT</c> alone opens a
/// prompt. Each command uses its own connection, so Ctrl+C can end a streaming one (cluster tail)
/// by closing it, and the prompt stays.
/// </summary>
public sealed class OpsCli(TextReader input, TextWriter output, TextWriter error, Func<string, string?> environment, bool terminal)
{
    public const string Usage = """
        akkagame-ops: the operator CLI of AkkaGame nodes and lighthouses.

        usage:
          akkagame-ops HOST:PORT COMMAND...   run one command and exit (0 ok, 1 failed, 2 usage,
                                              3 authentication failed, 4 endpoint unreachable)
          akkagame-ops HOST:PORT              interactive prompt with history; 'help' lists commands

        options (anywhere on the line):
          --json         print the reply's data as JSON, one line per reply, for scripts
          --secret S     the endpoint's secret (or env AKKAGAME_OPS_SECRET)

        examples:
          akkagame-ops 127.0.0.1:9110 cluster show
          akkagame-ops 127.0.0.1:9110 help cluster
          akkagame-ops 127.0.0.1:9110 game sectors --json
        """;

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly LineEditor _editor = new();
    private CancellationTokenSource? _running;

    /// <summary>Ctrl+C: stops the running command; false when none runs (then Ctrl+C ends the tool).</summary>
    public bool Interrupt()
    {
        var running = _running;
        if (running is null)
        {
            return false;
        }

        running.Cancel();
        return true;
    }

    public async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        CliArguments cli;
        try
        {
            cli = CliArguments.Parse(args, environment);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync("error: " + e.Message);
            await error.WriteLineAsync(Usage);
            return OpsExitCodes.Usage;
        }

        if (cli.Help || cli.Endpoint is null)
        {
            await output.WriteLineAsync(Usage);
            return args.Count == 0 ? OpsExitCodes.Usage : OpsExitCodes.Ok;
        }

        return cli.Command.Count > 0
            ? await RunCommandAsync(cli.Endpoint, cli.Command, cli.Json, cli.Secret)
            : await PromptAsync(cli);
    }

    private async Task<int> PromptAsync(CliArguments cli)
    {
        var endpoint = cli.Endpoint!;

        // The empty command is the endpoint's greeting: proves it is there before the first prompt.
        var greeting = await RunCommandAsync(endpoint, [], cli.Json, cli.Secret);
        if (greeting != OpsExitCodes.Ok)
        {
            return greeting;
        }

        await output.WriteLineAsync("'help' lists commands, 'exit' leaves; Ctrl+C stops a running command");
        var prompt = $"akkagame-ops {endpoint}> ";
        var firstFailure = OpsExitCodes.Ok;

        // A script piping commands in learns whether all of them worked; a person at the
        // prompt has seen each error already, and leaving is no failure.
        int Outcome() => terminal ? OpsExitCodes.Ok : firstFailure;

        while (true)
        {
            var line = terminal ? _editor.ReadLine(prompt) : await input.ReadLineAsync();
            if (line is null)
            {
                return Outcome();
            }

            List<string> words;
            try
            {
                words = CommandLineWords.Split(line);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync("error: " + e.Message);
                continue;
            }

            if (words.Count == 0)
            {
                continue;
            }

            if (words is ["exit"] or ["quit"])
            {
                return Outcome();
            }

            var (command, json, secret, _) = CliArguments.TakeOptions(words);
            var code = await RunCommandAsync(endpoint, command, cli.Json || json, secret ?? cli.Secret);
            if (firstFailure == OpsExitCodes.Ok)
            {
                firstFailure = code;
            }
        }
    }

    private async Task<int> RunCommandAsync(HostPort endpoint, IReadOnlyList<string> command, bool json, string? secret)
    {
        using var cancel = new CancellationTokenSource();
        _running = cancel;
        try
        {
            await using var client = await OpsClient.ConnectAsync(endpoint, ConnectTimeout, cancel.Token);
            var printer = new ReplyPrinter(output, error, json);
            var code = OpsExitCodes.Failed;
            await foreach (var reply in client.RunAsync(command, secret, json, cancel.Token))
            {
                code = printer.Print(reply);
            }

            return code;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Ctrl+C: the operator ended it (the way to stop "cluster tail"), not a failure.
            return OpsExitCodes.Ok;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            await error.WriteLineAsync($"error: cannot reach the operator endpoint at {endpoint}: {e.Message} (is the node running with --ops-port {endpoint.Port}?)");
            return OpsExitCodes.Unreachable;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"error: the connection to {endpoint} broke: {e.Message}");
            return OpsExitCodes.Unreachable;
        }
        finally
        {
            _running = null;
        }
    }
}
