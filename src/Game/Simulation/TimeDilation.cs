namespace AkkaGame.Game.Simulation;

/// <summary>
/// When a sector's tick work cannot keep up, how much its game clock slows (EVE's Time
/// Dilation), read from akkagame.sector.time-dilation.
/// </summary>
/// <param name="MaxTickShare">The share of the tick interval a tick's work may take at full speed (smoothed); above it the sector dilates.</param>
/// <param name="Floor">The slowest the game clock runs, as a share of real time (EVE's is 0.1).</param>
/// <param name="Smoothing">The weight of each new tick's work in the smoothed tick work (0-1].</param>
/// <param name="RecoveryPerTick">How much the factor may rise per tick as load falls (it falls at once when load rises).</param>
/// <param name="MaxBehindShare">
/// The share of a sector's players whose connections are behind (frames piling up unsent: the
/// node cannot deliver what the sector produces) at which it dilates too, by
/// <see cref="BehindStep"/> a tick, whatever its own tick work.
/// </param>
public sealed record DilationRules(double MaxTickShare, double Floor, double Smoothing, double RecoveryPerTick, double MaxBehindShare = 0.1)
{
    /// <summary>How much a sector whose players' connections are behind slows per tick: 5% of its factor.</summary>
    public const double BehindStep = 0.05;

    /// <summary>Never dilates: for tests and for a sector whose operator turned it off.</summary>
    public static DilationRules Off => new(double.PositiveInfinity, 1, 1, 1);

    public bool Enabled => Floor < 1 && !double.IsPositiveInfinity(MaxTickShare);

    /// <summary>The rules, or a FormatException that names the setting out of range (floor 1 turns dilation off).</summary>
    public static DilationRules Checked(double maxTickShare, double floor, double smoothing, double recoveryPerTick, double maxBehindShare)
    {
        Require(maxTickShare > 0, "max-tick-share", "above 0", maxTickShare);
        Require(floor is > 0 and <= 1, "floor", "in (0, 1]", floor);
        Require(smoothing is > 0 and <= 1, "smoothing", "in (0, 1]", smoothing);
        Require(recoveryPerTick > 0, "recovery-per-tick", "above 0", recoveryPerTick);
        Require(maxBehindShare > 0, "max-behind-share", "above 0 (above 1: never for connections)", maxBehindShare);
        return new DilationRules(maxTickShare, floor, smoothing, recoveryPerTick, maxBehindShare);
    }

    private static void Require(bool ok, string key, string range, double value)
    {
        if (!ok)
        {
            throw new FormatException($"akkagame.sector.time-dilation.{key} must be {range}, not {value}");
        }
    }
}

/// <summary>
/// The time dilation of one sector: from each tick's work, the factor its game clock runs at
/// (1 = real time, down to <see cref="DilationRules.Floor"/>). A dilated sector ticks less often
/// in real time, each tick still one 1/tick-hz step of game time, so its work per real second
/// falls to the budget and inputs keep being applied instead of queueing without bound. Pure.
/// </summary>
public sealed class TimeDilation(DilationRules rules)
{
    private double? _smoothedWorkMs;

    public DilationRules Rules { get; } = rules ?? throw new ArgumentNullException(nameof(rules));

    /// <summary>Game seconds per real second: 1 at full speed, at least the floor.</summary>
    public double Factor { get; private set; } = 1;

    /// <summary>The smoothed work of a tick, in milliseconds.</summary>
    public double SmoothedWorkMs => _smoothedWorkMs ?? 0;

    /// <summary>Ticks so far at which the sector slowed because its players' connections were behind.</summary>
    public long BehindTicks { get; private set; }

    /// <summary>
    /// Takes one tick's work and returns the new factor. The factor that would keep the smoothed
    /// work within <see cref="DilationRules.MaxTickShare"/> of the real time between ticks is
    /// <c>share × interval / work</c>, clamped to [floor, 1]: lower at once, higher by at most
    /// <see cref="DilationRules.RecoveryPerTick"/> a tick, so one quiet tick does not undo it.
    /// While <paramref name="behindShare"/> (the share of the sector's players whose connections
    /// are behind) is at least <see cref="DilationRules.MaxBehindShare"/>, the factor falls by
    /// <see cref="DilationRules.BehindStep"/> a tick instead of rising: the work of a crowd is
    /// mostly in delivering its frames, outside the tick, and fewer ticks make fewer frames.
    /// </summary>
    public double Observe(double tickWorkMs, double tickIntervalMs, double behindShare = 0)
    {
        if (!Rules.Enabled)
        {
            return Factor;
        }

        var work = Math.Max(0, tickWorkMs);
        _smoothedWorkMs = _smoothedWorkMs is { } previous ? previous + Rules.Smoothing * (work - previous) : work;
        var budgetMs = Rules.MaxTickShare * tickIntervalMs;
        var wanted = _smoothedWorkMs <= budgetMs ? 1 : Math.Max(Rules.Floor, budgetMs / _smoothedWorkMs.Value);
        var next = wanted < Factor ? wanted : Math.Min(wanted, Factor + Rules.RecoveryPerTick);
        if (behindShare >= Rules.MaxBehindShare)
        {
            BehindTicks++;
            next = Math.Min(next, Factor * (1 - DilationRules.BehindStep));
        }

        // In steps of 0.01 (never below the floor), so the tick timer changes only for a real change.
        Factor = Math.Clamp(Math.Round(next, 2), Rules.Floor, 1);
        return Factor;
    }

    /// <summary>The real time between ticks at the current factor.</summary>
    public TimeSpan TickInterval(int tickHz) => TimeSpan.FromSeconds(1.0 / tickHz / Factor);
}

/// <summary>
/// A sector's game clock: real time scaled by the dilation factor, continuous when the factor
/// changes. Cooldowns compare game times, so a dilated sector's cooldowns last longer in real
/// time exactly as its ships fly slower. Pure: the caller passes real milliseconds in.
/// </summary>
public sealed class GameClock
{
    private long _realAtChangeMs;
    private double _gameAtChangeMs;
    private bool _started;

    public double Factor { get; private set; } = 1;

    /// <summary>Game time at <paramref name="realNowMs"/>; equal to real time until the first change of factor.</summary>
    public long Now(long realNowMs)
    {
        if (!_started)
        {
            return realNowMs;
        }

        return (long)Math.Floor(_gameAtChangeMs + (realNowMs - _realAtChangeMs) * Factor);
    }

    /// <summary>From <paramref name="realNowMs"/> on, game time runs at <paramref name="factor"/>.</summary>
    public void SetFactor(double factor, long realNowMs)
    {
        if (!(factor > 0 && factor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "a factor in (0, 1]");
        }

        _gameAtChangeMs = _started ? _gameAtChangeMs + (realNowMs - _realAtChangeMs) * Factor : realNowMs;
        _realAtChangeMs = realNowMs;
        _started = true;
        Factor = factor;
    }
}
