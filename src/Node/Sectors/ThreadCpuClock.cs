using System.Runtime.InteropServices;

namespace AkkaGame.Node.Sectors;

/// <summary>
/// The CPU time the calling thread has used, for a sector's tick work: what time dilation
/// compares with the tick's budget (docs/crowds.md). The wall time of a tick also holds the time
/// the operating system gave the node's other threads meanwhile (the crowd's socket sends, other
/// sectors), so on a busy core it made a sector slow its clock for work that was not its own:
/// a quiet sector beside a hot one could dilate too, and in a crowd-1000 profile a tick used
/// about 10 ms of CPU while its wall time's p99 was 42-50 ms
/// (bench/results/20261204T2210Z-interest-cells). Those other threads' lateness reaches a
/// sector through its players' connections falling behind instead, which dilation counts apart.
/// Linux only (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>); elsewhere <see cref="IsSupported"/>
/// is false and the caller measures wall time.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>The calling thread's CPU time so far, in nanoseconds; 0 where not supported.</summary>
    public static long NowNanoseconds() => IsSupported && ClockGetTime(ClockThreadCpuTimeId, out var now) == 0
        ? (now.Seconds * 1_000_000_000) + now.Nanoseconds
        : 0;

    /// <summary>Milliseconds of CPU the calling thread used since <paramref name="startedNanoseconds"/> (from <see cref="NowNanoseconds"/> on the same thread).</summary>
    public static double ElapsedMilliseconds(long startedNanoseconds) => (NowNanoseconds() - startedNanoseconds) / 1e6;

    private static bool Probe()
    {
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "clock_gettime", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
