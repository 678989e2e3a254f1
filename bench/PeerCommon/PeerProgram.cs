using System.Runtime.InteropServices;
using AkkaGame.CommandLine;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// The Main of every peer: parse options, start, print the ready line the benchmark waits for,
/// run until Ctrl+C or SIGTERM, stop gracefully.
/// </summary>
public static class PeerProgram
{
    public static Task<int> RunAsync(string name, string[] args, Func<PeerSettings, IPeerServer> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return CommandRunner.RunAsync(PeerOptions.Command(name, Environment.GetEnvironmentVariable, settings => ServeAsync(settings, create)), args);
    }

    private static async Task<int> ServeAsync(PeerSettings settings, Func<PeerSettings, IPeerServer> create)
    {
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            // Cancel the default (immediate exit): the stop below tells clients and closes cleanly.
            context.Cancel = true;
            stop.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        await using var server = create(settings);
        var endpoint = await server.StartAsync(CancellationToken.None);
        Console.WriteLine($"{server.Name} ready on {endpoint}");
        await stop.Task;
        await server.StopAsync();
        Console.WriteLine($"{server.Name} stopped");
        return 0;
    }
}
