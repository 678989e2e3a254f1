using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// One cluster process (node or lighthouse) started from its built DLL. Waits for its ready
/// line; kill -9 and SIGTERM on demand; disposing kills it, so no run leaves a process behind.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private readonly string _readyPrefix;

    private ManagedProcess(Process process, string name, string readyPrefix)
    {
        _process = process;
        Name = name;
        _readyPrefix = readyPrefix;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public static async Task<ManagedProcess> StartAsync(string name, string dll, string readyPrefix, IEnumerable<string> args, IDictionary<string, string>? env, TimeSpan readyTimeout)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, name, readyPrefix);
        process.OutputDataReceived += (_, e) => managed.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => managed.OnLine(e.Data);
        process.Exited += (_, _) => managed._ready.TrySetException(new InvalidOperationException($"{name} exited before it was ready:\n{managed.Tail()}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await managed._ready.Task.WaitAsync(readyTimeout);
        }
        catch
        {
            await managed.DisposeAsync();
            throw;
        }

        return managed;
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

    /// <summary>SIGTERM: the graceful path (drain, hand off, leave), bounded by <paramref name="timeout"/>, then kill -9.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        using (var kill = Process.Start("kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            await KillAsync();
            return false;
        }
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

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 20_000)
            {
                _output.RemoveRange(0, 10_000);
            }
        }

        if (line.StartsWith(_readyPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
