using System.Diagnostics;

namespace AkkaGame.Ops.Tests.Support;

/// <summary>
/// A node or lighthouse as a real process (the built dll, like the one operators run). Ready
/// when it prints its ready line; disposing kills it if it still runs, so no test leaves one behind.
/// </summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];
    private readonly string _readyPrefix;

    private ManagedProcess(Process process, string readyPrefix)
    {
        _process = process;
        _readyPrefix = readyPrefix;
    }

    public string ReadyLine => _ready.Task.Result;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

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

    /// <summary>Starts src/PROJECT/bin/CONFIGURATION/net10.0/DLL (the configuration these tests were built in).</summary>
    public static ManagedProcess Start(string project, string dll, string readyPrefix, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(BuiltDll(project, dll));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var managed = new ManagedProcess(process, readyPrefix);
        process.OutputDataReceived += (_, e) => managed.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => managed.OnLine(e.Data);
        process.Exited += (_, _) => managed._ready.TrySetException(new InvalidOperationException($"{dll} exited before it was ready:\n{managed.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    public async Task<string> WaitReadyAsync(TimeSpan timeout) => await _ready.Task.WaitAsync(timeout);

    /// <summary>Waits for the process to end by itself; false when it is still running after the bound.</summary>
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private static string BuiltDll(string project, string dll)
    {
        var testDir = AppContext.BaseDirectory;
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(testDir)).Parent!.Name;
        var dir = new DirectoryInfo(testDir);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AkkaGame.sln")))
        {
            dir = dir.Parent;
        }

        var built = dir is null ? null : Path.Combine(dir.FullName, "src", project, "bin", configuration, "net10.0", dll);
        return built is not null && File.Exists(built) ? built : throw new FileNotFoundException($"build src/{project} first", built ?? dll);
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

        if (line.StartsWith(_readyPrefix, StringComparison.Ordinal))
        {
            _ready.TrySetResult(line);
        }
    }
}
