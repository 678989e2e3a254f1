using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AkkaGame.Node.Tests.Support;

/// <summary>
/// The node as a real separate process (the built AkkaGame.Node.dll), for tests that kill it.
/// Disposing kills it if it is still running, so no test leaves a process behind.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private NodeProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(200));
            }
        }
    }

    public static async Task<NodeProcess> StartAsync(IEnumerable<string> args, TimeSpan readyTimeout)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(NodeDll());
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new NodeProcess(process);
        process.OutputDataReceived += (_, e) => node.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => node.OnLine(e.Data);
        process.Exited += (_, _) => node._ready.TrySetException(new InvalidOperationException("the node exited before it was ready:\n" + node.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await node._ready.Task.WaitAsync(readyTimeout);
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    /// <summary>kill -9: no shutdown hooks, no final snapshot.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The node built beside this test assembly's configuration (Debug or Release).</summary>
    public static string NodeDll()
    {
        var testDir = AppContext.BaseDirectory;
        var local = Path.Combine(testDir, "AkkaGame.Node.dll");
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(testDir)).Parent!.Name;
        var dir = new DirectoryInfo(testDir);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaGame.sln")))
        {
            dir = dir.Parent;
        }

        var built = dir is null ? null : Path.Combine(dir.FullName, "src", "Node", "bin", configuration, "net10.0", "AkkaGame.Node.dll");
        return built is not null && File.Exists(built) ? built : local;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        if (line.StartsWith("AkkaGame node ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
