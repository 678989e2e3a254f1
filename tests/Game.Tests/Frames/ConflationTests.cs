using AkkaGame.Game.Configuration;
using AkkaGame.Game.Frames;
using Xunit;

namespace AkkaGame.Game.Tests.Frames;

/// <summary>Conflation without actors: which deltas a connection gets, when it catches up, and when it is a slow consumer.</summary>
public class ConflationTests
{
    /// <summary>Behind past 64 KiB queued, resumed at 32 KiB, bound 256 KiB, stalled after 10 s without progress.</summary>
    private static readonly ConflationRules Rules = new(BehindBytes: 64 * 1024, BoundBytes: 256 * 1024, StallTimeout: TimeSpan.FromSeconds(10));

    [Fact]
    public void A_connection_that_keeps_up_gets_every_delta()
    {
        var conflation = new Conflation<string>(Rules);
        for (var tick = 0; tick < 1000; tick++)
        {
            // Up to the behind bound queued, and a delta that takes it past: still written.
            Assert.Equal(DeltaDecision.Write, conflation.Offer("a", queued: tick % (64 * 1024), taken: tick, bytes: 10_000, nowMs: tick * 50));
        }

        Assert.Equal(0, conflation.BehindCount);
    }

    [Fact]
    public void A_connection_behind_gets_no_deltas_until_it_drains_then_resumes_once()
    {
        var conflation = new Conflation<string>(Rules);
        Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: (64 * 1024) + 1, taken: 5, bytes: 100, nowMs: 0));
        Assert.True(conflation.IsBehind("a"));

        // Reading (taken grows) but still above half the behind bound: skipped, not resumed.
        Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: 40 * 1024, taken: 6, bytes: 100, nowMs: 50));
        Assert.False(conflation.TryResume("a", queued: (32 * 1024) + 1));

        // Drained to half: resumed once (the caller sends a fresh snapshot), then deltas again.
        Assert.True(conflation.TryResume("a", queued: 32 * 1024));
        Assert.False(conflation.IsBehind("a"));
        Assert.False(conflation.TryResume("a", queued: 0));
        Assert.Equal(DeltaDecision.Write, conflation.Offer("a", queued: 32 * 1024, taken: 9, bytes: 100, nowMs: 100));
    }

    [Fact]
    public void A_delta_that_would_pass_the_bound_makes_the_connection_behind_instead_of_full()
    {
        var conflation = new Conflation<string>(Rules);

        // 60 KiB queued (not behind) and a 200 KiB delta: 260 KiB would pass the 256 KiB bound.
        Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: 60 * 1024, taken: 0, bytes: 200 * 1024, nowMs: 0));
        Assert.True(conflation.IsBehind("a"));

        // Exactly at the bound is written.
        Assert.Equal(DeltaDecision.Write, conflation.Offer("b", queued: 56 * 1024, taken: 0, bytes: 200 * 1024, nowMs: 0));
    }

    [Fact]
    public void A_behind_connection_that_takes_nothing_for_the_stall_timeout_is_aborted_once()
    {
        var conflation = new Conflation<string>(Rules);
        Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: 100 * 1024, taken: 7, bytes: 100, nowMs: 1_000));
        Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: 100 * 1024, taken: 7, bytes: 100, nowMs: 10_999));
        Assert.Equal(DeltaDecision.Abort, conflation.Offer("a", queued: 100 * 1024, taken: 7, bytes: 100, nowMs: 11_000));

        // Aborted: no longer tracked (its session is closing it).
        Assert.False(conflation.IsBehind("a"));
    }

    [Fact]
    public void Progress_restarts_the_stall_clock_so_a_slow_reader_is_never_aborted()
    {
        var conflation = new Conflation<string>(Rules);
        Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: 100 * 1024, taken: 1, bytes: 100, nowMs: 0));

        // One frame taken every 9 s, for a minute: always skipped, never aborted.
        for (var i = 1; i <= 7; i++)
        {
            Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: 100 * 1024, taken: 1 + i, bytes: 100, nowMs: i * 9_000));
        }

        Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: 100 * 1024, taken: 8, bytes: 100, nowMs: 71_999));
        Assert.Equal(DeltaDecision.Abort, conflation.Offer("a", queued: 100 * 1024, taken: 8, bytes: 100, nowMs: 73_000));
    }

    [Fact]
    public void A_snapshot_that_did_not_fit_makes_the_connection_behind_and_forgetting_clears_it()
    {
        var conflation = new Conflation<string>(Rules);
        conflation.FellBehind("a", taken: 3, nowMs: 0);
        conflation.FellBehind("b", taken: 3, nowMs: 0);
        Assert.Equal(2, conflation.BehindCount);
        Assert.Equal(DeltaDecision.Skip, conflation.Offer("a", queued: 0, taken: 3, bytes: 100, nowMs: 50));

        conflation.Forget("b");
        Assert.False(conflation.IsBehind("b"));
        Assert.Equal(DeltaDecision.Write, conflation.Offer("b", queued: 0, taken: 3, bytes: 100, nowMs: 50));
    }

    [Theory]
    [InlineData("256KiB", 64 * 1024, 256 * 1024)]
    [InlineData("1MiB", 256 * 1024, 1024 * 1024)]
    public void The_rules_come_from_the_gateway_bound_and_can_be_turned_off(string bound, long behind, long boundBytes)
    {
        var on = GameSettings.Read(GameConf.Parse(GameConf.DefaultsText + $"\nakkagame.gateway.max-outbound-bytes = {bound}\n"));
        Assert.Equal(new ConflationRules(behind, boundBytes, TimeSpan.FromSeconds(10)), on.Sector.Conflation);

        var off = GameSettings.Read(GameConf.Parse(GameConf.DefaultsText + "\nakkagame.sector.conflation = off\n"));
        Assert.Null(off.Sector.Conflation);
    }

    [Fact]
    public void A_stall_timeout_of_zero_is_refused_with_its_name()
    {
        var error = Assert.Throws<FormatException>(() => ConflationRules.Checked(64, 256, TimeSpan.Zero));
        Assert.Contains("stall-timeout", error.Message, StringComparison.Ordinal);
    }
}
