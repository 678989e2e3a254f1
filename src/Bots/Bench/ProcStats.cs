using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace AkkaGame.Bots.Bench;

/// <summary>One reading of a set of processes from /proc: CPU seconds (user + system), RSS, threads, context switches.</summary>
internal sealed record ProcSample(double CpuSeconds, long RssKb, long HwmKb, int Threads, long VoluntarySwitches, long InvoluntarySwitches, int Alive);

/// <summary>Reads /proc for the server processes and this one, and describes the machine.</summary>
internal static class ProcStats
{
    // USER_HZ: 100 on every Linux we run on (sysconf(_SC_CLK_TCK)); /proc/PID/stat counts in it.
    private const double ClockTicksPerSecond = 100.0;

    public static ProcSample Read(IReadOnlyList<int> pids)
    {
        double cpu = 0;
        long rss = 0;
        long hwm = 0;
        var threads = 0;
        long vol = 0;
        long invol = 0;
        var alive = 0;
        foreach (var pid in pids)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");

                // The command name may hold spaces; fields after ')' are space-separated from field 3.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                cpu += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    rss += Kb(line, "VmRSS:");
                    hwm += Kb(line, "VmHWM:");
                    threads += (int)Kb(line, "Threads:");
                    vol += Kb(line, "voluntary_ctxt_switches:");
                    invol += Kb(line, "nonvoluntary_ctxt_switches:");
                }

                alive++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // The process is gone (or was never there): counted by Alive, so the report shows it.
                Debug.WriteLine($"cannot read /proc/{pid}: {ex.Message}");
            }
        }

        return new ProcSample(cpu, rss, hwm, threads, vol, invol, alive);
    }

    /// <summary>This process, from /proc/self like the server's, so both are measured the same way.</summary>
    public static ProcSample Self() => Read([Environment.ProcessId]);

    public static JsonObject Machine()
    {
        var model = "unknown";
        long memKb = 0;
        var cpus = 0;
        try
        {
            // The whole machine, not Environment.ProcessorCount: that counts only the CPUs this
            // (pinned) process may use.
            cpus = File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));
            model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? model;
            memKb = File.ReadLines("/proc/meminfo").Select(l => Kb(l, "MemTotal:")).Max();
        }
        catch (IOException ex)
        {
            model = "unreadable: " + ex.Message;
        }

        return new JsonObject
        {
            ["nproc"] = cpus,
            ["client_processor_count"] = Environment.ProcessorCount,
            ["cpu_model"] = model,
            ["mem_total_mb"] = memKb / 1024,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["load_avg"] = ReadOr("/proc/loadavg", "unknown").Trim(),
            ["client_affinity"] = ReadStatusField("Cpus_allowed_list:"),
        };
    }

    public static string GitCommit()
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", "rev-parse HEAD")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (git is null)
            {
                return "unknown";
            }

            var head = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit(5000);
            return git.ExitCode == 0 ? head : "unknown";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return "unknown: " + ex.Message;
        }
    }

    private static string ReadOr(string path, string fallback)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return fallback;
        }
    }

    private static string ReadStatusField(string name)
    {
        try
        {
            return File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?[name.Length..].Trim() ?? "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static long Kb(string line, string name)
    {
        if (!line.StartsWith(name, StringComparison.Ordinal))
        {
            return 0;
        }

        var value = line[name.Length..].Trim();
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
    }
}
