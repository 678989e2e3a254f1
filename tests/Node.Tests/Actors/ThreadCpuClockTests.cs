using System.Diagnostics;
using AkkaGame.Node.Sectors;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

/// <summary>
/// The clock time dilation measures a tick's work with: the calling thread's CPU time, which
/// grows while the thread computes and not while it waits (for the core, or anything else).
/// </summary>
public class ThreadCpuClockTests
{
    [Fact]
    public void Counts_the_threads_own_work()
    {
        Assert.Equal(OperatingSystem.IsLinux(), ThreadCpuClock.IsSupported);
        if (!ThreadCpuClock.IsSupported)
        {
            Assert.Equal(0, ThreadCpuClock.NowNanoseconds());
            return;
        }

        // Computing until the clock says 100 ms (however busy the test host, within 10 s): never
        // more CPU than the time that passed.
        var wall = Stopwatch.StartNew();
        var busy = SpinFor(100);
        Assert.InRange(busy, 100, wall.Elapsed.TotalMilliseconds + 1);
    }

    [Fact]
    public void Waiting_while_another_thread_works_is_not_counted()
    {
        if (!ThreadCpuClock.IsSupported)
        {
            return;
        }

        // This thread waits (in Join) while the other computes until its own clock says 100 ms.
        var started = ThreadCpuClock.NowNanoseconds();
        var othersWork = 0.0;
        var other = new Thread(() => othersWork = SpinFor(100));
        other.Start();
        other.Join();
        Assert.InRange(othersWork, 100, double.MaxValue);
        Assert.InRange(ThreadCpuClock.ElapsedMilliseconds(started), 0, 20);
    }

    /// <summary>Computes until the calling thread's clock says <paramref name="milliseconds"/> (within 10 s of wall time); returns what it says.</summary>
    private static double SpinFor(double milliseconds)
    {
        var started = ThreadCpuClock.NowNanoseconds();
        var wall = Stopwatch.StartNew();
        var used = 0.0;
        while (used < milliseconds && wall.ElapsedMilliseconds < 10_000)
        {
            Thread.SpinWait(1000);
            used = ThreadCpuClock.ElapsedMilliseconds(started);
        }

        return used;
    }
}
