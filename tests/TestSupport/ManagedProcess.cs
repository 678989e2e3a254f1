using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AkkaGame.TestSupport;

/// <summary>
/// One of our programs (node, lighthouse) as a real process, started from its own build output.
/// Knows when it printed its ready line; kill -9 and SIGTERM on demand; disposing kills it, so
/// no test leaves a process behind.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private readonly string _readyPrefix;
    private StreamWriter? _log;

    private ManagedProcess(Process process, string name, string readyPrefix)
    {
        _process = process;
        Name = name;
        _readyPrefix = readyPrefix;
    }

    /// <summary>
    /// Also writes every line it prints to <paramref name="path"/> (appending), so a long run's
    /// whole story survives the process and the bounded in-memory tail.
    /// </summary>
    public void KeepLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        lock (_output)
        {
            _log = new StreamWriter(path, append: true) { AutoFlush = true };
            foreach (var line in _output)
            {
                _log.WriteLine(line);
            }
        }
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The last 200 lines it printed.</summary>
    public string Output => Tail(200);

    public string Tail(int lines = 60)
    {
        lock (_output)
        {
            return string.Join('\n', _output.TakeLast(lines));
        }
    }

    public IReadOnlyList<string> Lines(Func<string, bool> predicate)
    {
        lock (_output)
        {
            return _output.Where(predicate).ToList();
        }
    }

    /// <summary>Starts src/PROJECT's program (see <see cref="Repository.ProgramDll"/>: built, or published) without waiting for it.</summary>
    public static ManagedProcess Start(string project, string dll, string readyPrefix, IEnumerable<string> args, IDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Repository.ProgramDll(project, dll));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, project, readyPrefix);
        process.OutputDataReceived += (_, e) => managed.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => managed.OnLine(e.Data);
        process.Exited += (_, _) => managed._ready.TrySetException(new InvalidOperationException($"{dll} exited before it was ready:\n{managed.Tail()}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>Starts it and waits for its ready line; a process that is not ready in time is killed.</summary>
    public static async Task<ManagedProcess> StartAsync(string project, string dll, string readyPrefix, IEnumerable<string> args, TimeSpan readyTimeout, IDictionary<string, string>? environment = null)
    {
        var managed = Start(project, dll, readyPrefix, args, environment);
        try
        {
            await managed.WaitReadyAsync(readyTimeout);
        }
        catch
        {
            await managed.DisposeAsync();
            throw;
        }

        return managed;
    }

    /// <summary>The ready line, once printed.</summary>
    public async Task<string> WaitReadyAsync(TimeSpan timeout) => await _ready.Task.WaitAsync(timeout);

    /// <summary>Waits for the process to end by itself; false when it still runs after the bound.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>kill -9: no shutdown hooks run, nothing is flushed or handed off.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful path, bounded by <paramref name="timeout"/>, then kill -9. True when it exited by itself.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        if (await WaitForExitAsync(timeout))
        {
            return true;
        }

        await KillAsync();
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        lock (_output)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    /// <summary>
    /// A free loopback port below the kernel's ephemeral range. A port from that range (what
    /// binding port 0 returns) can be taken at any moment as the local end of some outgoing
    /// connection, so a process restarted on its old port may find it in use: seen in a chaos
    /// run, where a restarted node's operator port was taken and the harness could not ask it.
    /// </summary>
    public static int FreePort()
    {
        const int Floor = 20_000;
        var ceiling = Math.Min(EphemeralLow(), 32_768);
        lock (HandedOut)
        {
            for (var attempt = 0; ceiling - Floor >= 1_000 && attempt < 500; attempt++)
            {
                var port = Random.Shared.Next(Floor, ceiling);
                if (!HandedOut.Contains(port) && CanListen(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static readonly HashSet<int> HandedOut = [];

    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }

    private static bool CanListen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _log?.WriteLine(line);
            _output.Add(line);
            if (_output.Count > 20_000)
            {
                _output.RemoveRange(0, 10_000);
            }
        }

        if (line.StartsWith(_readyPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult(line);
        }
    }
}
