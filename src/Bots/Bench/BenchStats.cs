using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Akkagame.V1;
using HdrHistogram;

namespace AkkaGame.Bots.Bench;

/// <summary>What a latency sample measures.</summary>
internal enum Measure
{
    /// <summary>MoveTo scheduled send time to the first own Ship whose last_input_seq covers it.</summary>
    Input,

    /// <summary>Ping scheduled send time to its Pong.</summary>
    Ping,

    /// <summary>Connect scheduled time to Welcome (TCP connect + Hello + login).</summary>
    Connect,

    /// <summary>Mine scheduled send time to its Credits (a durable write).</summary>
    Mine,

    /// <summary>Jump scheduled send time to its Jumped (a durable write of the player's sector).</summary>
    Jump,
}

/// <summary>
/// Counters and HdrHistograms shared by all benchmark clients. Latency samples count toward the
/// results only when their scheduled time falls in the measurement window (after warm-up);
/// connect samples always count (the storm measures exactly the connect phase).
/// </summary>
internal sealed class BenchStats
{
    private const long MaxMicros = 120_000_000;
    private static readonly Measure[] AllMeasures = Enum.GetValues<Measure>();

    private readonly object _gate = new();
    private readonly Dictionary<Measure, LongHistogram> _total = AllMeasures.ToDictionary(m => m, _ => new LongHistogram(MaxMicros, 3));
    private readonly Dictionary<Measure, LongHistogram> _interval = AllMeasures.ToDictionary(m => m, _ => new LongHistogram(MaxMicros, 3));

    // Slot to the moment the send was handed to the socket, for requests of the window: the
    // load generator's own lateness, which every latency above includes (they start at the slot).
    // Recorded on every send, so a concurrent histogram rather than another turn of _gate.
    private readonly LongConcurrentHistogram _sendDelay = new(1, MaxMicros, 3);
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private readonly ConcurrentDictionary<string, long> _connectFailures = new();
    private readonly long[] _sentInWindow = new long[AllMeasures.Length];
    private readonly long[] _lost = new long[AllMeasures.Length];

    private long _windowStart = long.MaxValue;
    private long _windowEnd = long.MaxValue;
    private long _in;
    private long _out;
    private long _errorCount;
    private long _disconnects;
    private long _sendFailures;
    private long _skipped;
    private long _lateSends;
    private long _connected;
    private long _framesInWindow;
    private long _bytesInWindow;
    private long _deltasInWindow;
    private long _dilatedDeltasInWindow;
    private int _slowestDilationPermille = 1000;
    private long _lastDilatedAt;
    private int _lastDilationPermille = 1000;

    public long Connected => Interlocked.Read(ref _connected);

    public long Errors => Interlocked.Read(ref _errorCount);

    public long Disconnects => Interlocked.Read(ref _disconnects);

    public long In => Interlocked.Read(ref _in);

    public long Out => Interlocked.Read(ref _out);

    public void SetWindow(long start, long end)
    {
        Interlocked.Exchange(ref _windowStart, start);
        Interlocked.Exchange(ref _windowEnd, end);
    }

    public bool InWindow(long scheduled) =>
        scheduled >= Interlocked.Read(ref _windowStart) && scheduled < Interlocked.Read(ref _windowEnd);

    /// <summary>Timestamp of the latest delta that carried a time dilation below 1, or 0 if none yet.</summary>
    public long LastDilatedAt => Interlocked.Read(ref _lastDilatedAt);

    /// <summary>The time dilation of the latest delta received (1 at full speed).</summary>
    public double LastDilation => Volatile.Read(ref _lastDilationPermille) / 1000.0;

    /// <summary>A frame of <paramref name="bytes"/> received at <paramref name="now"/>.</summary>
    public void FrameIn(int bytes, long now)
    {
        Interlocked.Increment(ref _in);
        if (InWindow(now))
        {
            Interlocked.Increment(ref _framesInWindow);
            Interlocked.Add(ref _bytesInWindow, bytes);
        }
    }

    /// <summary>
    /// A delta of the client's sector with the protocol's <c>time_dilation</c> field (0, unset,
    /// means 1: full speed).
    /// </summary>
    public void Delta(float timeDilation, long now)
    {
        var permille = timeDilation is > 0 and < 1 ? (int)Math.Round(timeDilation * 1000) : 1000;
        Volatile.Write(ref _lastDilationPermille, permille);
        if (permille < 1000)
        {
            Interlocked.Exchange(ref _lastDilatedAt, now);
        }

        if (!InWindow(now))
        {
            return;
        }

        Interlocked.Increment(ref _deltasInWindow);
        if (permille < 1000)
        {
            Interlocked.Increment(ref _dilatedDeltasInWindow);
            var slowest = Volatile.Read(ref _slowestDilationPermille);
            while (permille < slowest)
            {
                var seen = Interlocked.CompareExchange(ref _slowestDilationPermille, permille, slowest);
                if (seen == slowest)
                {
                    break;
                }

                slowest = seen;
            }
        }
    }

    /// <summary>Frames, bytes and deltas received in the measured window, and the time dilation they carried.</summary>
    public JsonObject ReceivedJson(double seconds)
    {
        var deltas = Interlocked.Read(ref _deltasInWindow);
        return new JsonObject
        {
            ["frames_per_s"] = Math.Round(Interlocked.Read(ref _framesInWindow) / seconds, 1),
            ["megabytes_per_s"] = Math.Round(Interlocked.Read(ref _bytesInWindow) / seconds / 1_000_000, 3),
            ["deltas_per_s"] = Math.Round(deltas / seconds, 1),
            ["dilated_delta_share"] = deltas == 0 ? null : Math.Round(Interlocked.Read(ref _dilatedDeltasInWindow) / (double)deltas, 3),
            ["slowest_time_dilation"] = Volatile.Read(ref _slowestDilationPermille) / 1000.0,
        };
    }

    public void MessageOut(Measure? measure, long scheduled)
    {
        Interlocked.Increment(ref _out);
        var delay = Stopwatch.GetElapsedTime(scheduled);
        if (measure is { } m && InWindow(scheduled))
        {
            Interlocked.Increment(ref _sentInWindow[(int)m]);
            _sendDelay.RecordValue(Math.Clamp(delay.Ticks / 10, 1, MaxMicros));
        }

        // A send more than 10 ms after its slot: the load generator itself fell behind.
        if (delay > TimeSpan.FromMilliseconds(10))
        {
            Interlocked.Increment(ref _lateSends);
        }
    }

    public void Connect() => Interlocked.Increment(ref _connected);

    public void Disconnect() => Interlocked.Increment(ref _disconnects);

    public void SendFailure() => Interlocked.Increment(ref _sendFailures);

    /// <summary>A slot not used because the previous request of that kind had no answer yet (churn).</summary>
    public void Skipped() => Interlocked.Increment(ref _skipped);

    public void Lost(Measure measure) => Interlocked.Increment(ref _lost[(int)measure]);

    public void Error(ErrorCode code)
    {
        Interlocked.Increment(ref _errorCount);
        _errors.AddOrUpdate(Stats.NameOf(code), 1, (_, n) => n + 1);
    }

    public void ConnectFailure(string reason) => _connectFailures.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void Record(Measure measure, long scheduled, long answered)
    {
        var micros = Math.Clamp(Stopwatch.GetElapsedTime(scheduled, answered).Ticks / 10, 1, MaxMicros);
        var counts = measure == Measure.Connect || InWindow(scheduled);
        lock (_gate)
        {
            _interval[measure].RecordValue(micros);
            if (counts)
            {
                _total[measure].RecordValue(micros);
            }
        }
    }

    /// <summary>p50/p99 of the samples since the last call, for the live line; resets the interval.</summary>
    public string IntervalText(Measure measure)
    {
        lock (_gate)
        {
            var h = _interval[measure];
            var text = h.TotalCount == 0
                ? "-"
                : string.Create(CultureInfo.InvariantCulture, $"{h.GetValueAtPercentile(50) / 1000.0:0.0}/{h.GetValueAtPercentile(99) / 1000.0:0.0}ms");
            h.Reset();
            return text;
        }
    }

    public JsonObject LatencyJson(Measure measure)
    {
        lock (_gate)
        {
            var h = _total[measure];
            var o = new JsonObject
            {
                ["count"] = h.TotalCount,
                ["sent_in_window"] = Interlocked.Read(ref _sentInWindow[(int)measure]),
                ["lost"] = Interlocked.Read(ref _lost[(int)measure]),
            };
            if (h.TotalCount > 0)
            {
                o["mean_ms"] = Round(h.GetMean() / 1000.0);
                o["p50_ms"] = Ms(h.GetValueAtPercentile(50));
                o["p90_ms"] = Ms(h.GetValueAtPercentile(90));
                o["p99_ms"] = Ms(h.GetValueAtPercentile(99));
                o["p999_ms"] = Ms(h.GetValueAtPercentile(99.9));
                o["max_ms"] = Ms(h.GetMaxValue());
            }

            return o;
        }
    }

    /// <summary>The load generator's send delay (slot to send) over the window's requests.</summary>
    public JsonObject SendDelayJson()
    {
        var h = _sendDelay.Copy();
        var o = new JsonObject { ["count"] = h.TotalCount };
        if (h.TotalCount > 0)
        {
            o["p50_ms"] = Ms(h.GetValueAtPercentile(50));
            o["p99_ms"] = Ms(h.GetValueAtPercentile(99));
            o["p999_ms"] = Ms(h.GetValueAtPercentile(99.9));
            o["max_ms"] = Ms(h.GetMaxValue());
        }

        return o;
    }

    public long Count(Measure measure)
    {
        lock (_gate)
        {
            return _total[measure].TotalCount;
        }
    }

    public JsonObject CountersJson() => new()
    {
        ["messages_in"] = In,
        ["messages_out"] = Out,
        ["errors"] = Errors,
        ["errors_by_code"] = ToJson(_errors),
        ["disconnects"] = Disconnects,
        ["send_failures"] = Interlocked.Read(ref _sendFailures),
        ["connect_failures"] = ToJson(_connectFailures),
        ["skipped_slots"] = Interlocked.Read(ref _skipped),
        ["late_sends_over_10ms"] = Interlocked.Read(ref _lateSends),
    };

    private static JsonObject ToJson(ConcurrentDictionary<string, long> counts)
    {
        var o = new JsonObject();
        foreach (var (k, v) in counts.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            o[k] = v;
        }

        return o;
    }

    private static double Ms(long micros) => Round(micros / 1000.0);

    private static double Round(double v) => Math.Round(v, 3);
}
