using System.Diagnostics;
using System.Globalization;
using AkkaGame.TestSupport;

namespace AkkaGame.Chaos.Tests;

/// <summary>A private PostgreSQL instance on loopback (scripts/postgres.sh), destroyed with its data on dispose.</summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _dir;
    private readonly int _port = ManagedProcess.FreePort();

    private PrivatePostgres(string dir)
    {
        _dir = dir;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=akkagame;Database=akkagame;Pooling=true;Maximum Pool Size=50";

    public static async Task<PrivatePostgres> StartAsync(string dir)
    {
        var postgres = new PrivatePostgres(dir);
        await postgres.RunAsync("start");
        return postgres;
    }

    public async ValueTask DisposeAsync() => await RunAsync("destroy");

    private async Task RunAsync(string verb)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "postgres.sh"));
        info.ArgumentList.Add(verb);
        info.Environment["AKKAGAME_PG_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        info.Environment["AKKAGAME_PG_DIR"] = _dir;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"postgres.sh {verb} failed: {await stdout}{await stderr}");
        }
    }
}
