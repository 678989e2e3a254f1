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
    public void Counts_the_threads_own_work_and_not_its_waiting()
    {
        Assert.Equal(OperatingSystem.IsLinux(), ThreadCpuClock.IsSupported);
        if (!ThreadCpuClock.IsSupported)
        {
            Assert.Equal(0, ThreadCpuClock.NowNanoseconds());
            return;
        }

        // Computing until the clock says 100 ms (however busy the test host, within 10 s): never
        // more CPU than the time that passed.
        var started = ThreadCpuClock.NowNanoseconds();
        var wall = Stopwatch.StartNew();
        var busy = 0.0;
        while (busy < 100 && wall.ElapsedMilliseconds < 10_000)
        {
            Thread.SpinWait(1000);
            busy = ThreadCpuClock.ElapsedMilliseconds(started);
        }

        Assert.InRange(busy, 100, wall.Elapsed.TotalMilliseconds + 1);

        // 300 ms asleep: next to none.
        started = ThreadCpuClock.NowNanoseconds();
        Thread.Sleep(300);
        Assert.InRange(ThreadCpuClock.ElapsedMilliseconds(started), 0, 20);
    }

    [Fact]
    public void Another_threads_work_is_not_counted()
    {
        if (!ThreadCpuClock.IsSupported)
        {
            return;
        }

        var started = ThreadCpuClock.NowNanoseconds();
        var other = new Thread(() =>
        {
            var wall = Stopwatch.StartNew();
            while (wall.ElapsedMilliseconds < 300)
            {
                Thread.SpinWait(100);
            }
        });
        other.Start();
        other.Join();
        Assert.InRange(ThreadCpuClock.ElapsedMilliseconds(started), 0, 20);
    }
}
