using System.Numerics;
using Akkagame.V1;
using AkkaGame.Game.Frames;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Xunit;

namespace AkkaGame.Game.Tests.Simulation;

/// <summary>Time dilation without actors: the factor from tick work, the game clock, and a dilated sector's rules.</summary>
public class TimeDilationTests
{
    private const double IntervalMs = 50; // 20 Hz

    /// <summary>Half the tick interval at full speed, down to 10%, no smoothing, +0.05 a tick back up.</summary>
    private static readonly DilationRules Rules = new(MaxTickShare: 0.5, Floor: 0.1, Smoothing: 1, RecoveryPerTick: 0.05);

    [Fact]
    public void A_sector_within_its_budget_runs_at_full_speed()
    {
        var dilation = new TimeDilation(Rules);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(1, dilation.Observe(24.9, IntervalMs));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(50), dilation.TickInterval(20));
    }

    [Fact]
    public void Over_budget_it_slows_at_once_to_the_speed_at_which_its_work_fits()
    {
        var dilation = new TimeDilation(Rules);

        // 40 ms of work a tick against a 25 ms budget: ticks every 80 ms, i.e. 62.5% speed (in steps of 0.01: 62%).
        Assert.Equal(0.62, dilation.Observe(40, IntervalMs), 6);
        Assert.Equal(TimeSpan.FromMilliseconds(50 / 0.62).TotalMilliseconds, dilation.TickInterval(20).TotalMilliseconds, 3);

        // Work per real second then stays within the share: 40 ms per 80.6 ms.
        Assert.InRange(40 / dilation.TickInterval(20).TotalMilliseconds, 0.49, 0.51);
    }

    [Fact]
    public void It_never_runs_slower_than_the_floor()
    {
        var dilation = new TimeDilation(Rules);
        Assert.Equal(0.1, dilation.Observe(10_000, IntervalMs), 6);
        Assert.Equal(TimeSpan.FromMilliseconds(500), dilation.TickInterval(20));
    }

    [Fact]
    public void When_load_falls_it_speeds_up_gradually_and_reaches_full_speed()
    {
        var dilation = new TimeDilation(Rules);
        dilation.Observe(250, IntervalMs);
        Assert.Equal(0.1, dilation.Factor, 6);

        // Half the players leave: the work fits at 20% speed. One quiet tick does not undo it all.
        var factors = Enumerable.Range(0, 40).Select(_ => dilation.Observe(5, IntervalMs)).ToList();
        Assert.Equal(0.15, factors[0], 6);
        Assert.All(factors.Zip(factors.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 0, 0.05 + 1e-9));
        Assert.Equal(1, factors[^1]);

        // At 1/factor times the interval per tick, the 18 ticks back to full speed take about 2.5 s.
        var realMs = 0.0;
        var back = new TimeDilation(Rules);
        back.Observe(250, IntervalMs);
        for (var i = 0; i < 100 && back.Factor < 1; i++)
        {
            realMs += back.TickInterval(20).TotalMilliseconds;
            back.Observe(5, IntervalMs);
        }

        Assert.Equal(1, back.Factor);
        Assert.InRange(realMs, 1000, 10_000);
    }

    [Fact]
    public void Smoothing_keeps_one_slow_tick_from_dilating()
    {
        var dilation = new TimeDilation(Rules with { Smoothing = 0.2 });
        for (var i = 0; i < 20; i++)
        {
            dilation.Observe(5, IntervalMs);
        }

        // One garbage-collection pause of 60 ms: smoothed 5 + 0.2 × 55 = 16 ms, within the 25 ms budget.
        Assert.Equal(1, dilation.Observe(60, IntervalMs));

        // Sustained load does dilate.
        for (var i = 0; i < 30; i++)
        {
            dilation.Observe(60, IntervalMs);
        }

        Assert.InRange(dilation.Factor, 0.41, 0.43);
    }

    [Fact]
    public void Off_never_dilates_and_settings_out_of_range_are_refused_by_name()
    {
        var off = new TimeDilation(DilationRules.Off);
        Assert.Equal(1, off.Observe(10_000, IntervalMs));

        Assert.False(DilationRules.Checked(0.5, 1, 0.2, 0.02, 0.1).Enabled);
        Assert.Contains("floor", Assert.Throws<FormatException>(() => DilationRules.Checked(0.5, 0, 0.2, 0.02, 0.1)).Message);
        Assert.Contains("max-tick-share", Assert.Throws<FormatException>(() => DilationRules.Checked(0, 0.1, 0.2, 0.02, 0.1)).Message);
        Assert.Contains("smoothing", Assert.Throws<FormatException>(() => DilationRules.Checked(0.5, 0.1, 1.5, 0.02, 0.1)).Message);
        Assert.Contains("recovery-per-tick", Assert.Throws<FormatException>(() => DilationRules.Checked(0.5, 0.1, 0.2, 0, 0.1)).Message);
    }

    [Fact]
    public void The_game_clock_is_real_time_until_dilated_then_runs_at_the_factor_without_jumps()
    {
        var clock = new GameClock();
        Assert.Equal(12_345, clock.Now(12_345));

        clock.SetFactor(0.5, 10_000);
        Assert.Equal(10_000, clock.Now(10_000));
        Assert.Equal(10_500, clock.Now(11_000));

        clock.SetFactor(0.1, 12_000);
        Assert.Equal(11_000, clock.Now(12_000));
        Assert.Equal(11_100, clock.Now(13_000));

        clock.SetFactor(1, 14_000);
        Assert.Equal(11_200, clock.Now(14_000));
        Assert.Equal(12_200, clock.Now(15_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetFactor(0, 15_000));
    }

    [Fact]
    public void In_a_dilated_sector_the_mining_cooldown_lasts_longer_in_real_time()
    {
        var sector = new SectorState("s-1-1", WorldRules.Default);
        var asteroid = sector.Asteroids.First();
        sector.Enter("p1", "Ann", asteroid.Position);
        sector.Dilate(0.5, 0);

        Assert.True(sector.Mine("p1", asteroid.Id, 1_000).Ok);

        // The cooldown is one second of game time: two real seconds at half speed.
        Assert.Equal(Rejection.Cooldown, sector.Mine("p1", asteroid.Id, 2_000).Rejection);
        Assert.Equal(Rejection.Cooldown, sector.Mine("p1", asteroid.Id, 2_999).Rejection);
        Assert.True(sector.Mine("p1", asteroid.Id, 3_000).Ok);
    }

    [Fact]
    public void A_tick_is_one_step_of_game_time_whatever_the_factor()
    {
        var sector = new SectorState("s-1-1", WorldRules.Default);
        var ship = sector.Enter("p1", "Ann", new Vector2(100, 100));
        sector.MoveTo("p1", 1, 900, 100);
        sector.Dilate(0.25, 0);

        // Ticks come 200 ms apart at 25% speed; each still moves the ship ship-speed / tick-hz.
        sector.Advance(200);
        sector.Advance(400);
        Assert.Equal(100 + 2 * WorldRules.Default.ShipSpeed / WorldRules.Default.TickHz, ship.Position.X, 3);
    }

    [Fact]
    public void Deltas_carry_the_factor_while_dilated_and_once_more_on_the_return_to_full_speed()
    {
        var sector = new SectorState("s-1-1", WorldRules.Default);
        sector.Enter("p1", "Ann", new Vector2(100, 100));
        Assert.Equal(0f, Delta(sector, 50).TimeDilation); // absent: full speed

        sector.Dilate(0.4, 100);
        Assert.Equal(0.4f, Delta(sector, 150).TimeDilation);
        Assert.Equal(0.4f, Delta(sector, 275).TimeDilation);

        // Nothing moved in this tick, but the delta is sent: clients must learn the sector is back.
        sector.Dilate(1, 400);
        var result = sector.Advance(450);
        Assert.False(result.IsEmpty);
        Assert.Equal(1f, Decode(SectorFrames.Delta(sector.Id, result)).Delta.TimeDilation);

        // Then full speed is said by leaving the field out (0, which means 1.0).
        var after = sector.Advance(500);
        Assert.True(after.IsEmpty);
        Assert.Equal(0f, Decode(SectorFrames.Delta(sector.Id, after)).Delta.TimeDilation);
    }

    [Fact]
    public void Every_snapshot_carries_the_factor()
    {
        var sector = new SectorState("s-1-1", WorldRules.Default);
        Assert.Equal(1f, Decode(SectorFrames.Snapshot(sector)).Snapshot.TimeDilation);
        sector.Dilate(0.3, 0);
        Assert.Equal(0.3f, Decode(SectorFrames.Snapshot(sector)).Snapshot.TimeDilation);
    }

    private static SectorDelta Delta(SectorState sector, long nowMs) => Decode(SectorFrames.Delta(sector.Id, sector.Advance(nowMs))).Delta;

    private static ServerMessage Decode(byte[] frame) => ServerMessage.Parser.ParseFrom(frame.AsSpan(Frame.HeaderBytes));

    [Fact]
    public void Players_whose_connections_are_behind_slow_the_sector_by_five_percent_a_tick_until_they_catch_up()
    {
        var dilation = new TimeDilation(new DilationRules(MaxTickShare: 0.5, Floor: 0.1, Smoothing: 0.2, RecoveryPerTick: 0.02, MaxBehindShare: 0.1));

        // Light ticks, but a fifth of the players behind: 1.0, 0.95, 0.90, ... while they stay behind.
        Assert.Equal(0.95, dilation.Observe(2, 50, behindShare: 0.2));
        Assert.Equal(0.90, dilation.Observe(2, 50, behindShare: 0.2), 3);
        for (var i = 0; i < 100; i++)
        {
            dilation.Observe(2, 50, behindShare: 0.5);
        }

        Assert.Equal(0.1, dilation.Factor);
        Assert.Equal(102, dilation.BehindTicks);

        // Below the share (one in twenty behind): no longer slowing, back up by 0.02 a tick.
        Assert.Equal(0.12, dilation.Observe(2, 50, behindShare: 0.05), 3);
        Assert.Equal(0.14, dilation.Observe(2, 50, behindShare: 0), 3);
        Assert.Equal(102, dilation.BehindTicks);
    }

    [Fact]
    public void Tick_work_over_budget_still_decides_when_it_asks_for_a_slower_clock_than_the_connections_do()
    {
        var dilation = new TimeDilation(new DilationRules(MaxTickShare: 0.5, Floor: 0.1, Smoothing: 1, RecoveryPerTick: 0.02, MaxBehindShare: 0.1));

        // Work of 100 ms against a 25 ms budget asks for 0.25 at once; the connections' 5% step is the milder.
        Assert.Equal(0.25, dilation.Observe(100, 50, behindShare: 1));
    }
}
