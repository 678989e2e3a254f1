using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Akkagame.V1;
using Google.Protobuf.Reflection;
using HdrHistogram;

namespace AkkaGame.Bots;

/// <summary>
/// Counters shared by all bots (lock-free increments from every receive loop) and the
/// input-to-state latency histograms: one for the whole run, one per live-line interval.
/// </summary>
internal sealed class Stats
{
    // A sample above a minute is a lost update, not a latency; clamped so recording never throws.
    private const long MaxLatencyMicros = 60_000_000;

    private static readonly EnumDescriptor ErrorCodes = GameReflection.Descriptor.EnumTypes.Single(e => e.ClrType == typeof(ErrorCode));

    private readonly object _latencyGate = new();
    private readonly LongHistogram _latencyTotal = new(MaxLatencyMicros, 3);
    private readonly LongHistogram _latencyInterval = new(MaxLatencyMicros, 3);
    private readonly ConcurrentDictionary<string, long> _errorsByCode = new();
    private readonly ConcurrentDictionary<string, long> _connectFailuresByReason = new();

    private long _in;
    private long _out;
    private long _errors;
    private long _disconnects;
    private long _reconnects;
    private long _sendFailures;
    private long _everConnected;
    private long _credits;
    private long _mines;
    private long _chatsSent;
    private long _chatsReceived;
    private long _jumps;

    public long EverConnected => Interlocked.Read(ref _everConnected);

    public void MessageIn() => Interlocked.Increment(ref _in);

    public void MessageOut() => Interlocked.Increment(ref _out);

    public void FirstConnect() => Interlocked.Increment(ref _everConnected);

    public void Disconnect() => Interlocked.Increment(ref _disconnects);

    public void Reconnect() => Interlocked.Increment(ref _reconnects);

    public void SendFailure() => Interlocked.Increment(ref _sendFailures);

    public void ChatSent() => Interlocked.Increment(ref _chatsSent);

    public void ChatReceived() => Interlocked.Increment(ref _chatsReceived);

    public void Jump() => Interlocked.Increment(ref _jumps);

    public void Mined(long credits)
    {
        Interlocked.Increment(ref _mines);
        Interlocked.Add(ref _credits, credits);
    }

    public void Error(ErrorCode code)
    {
        Interlocked.Increment(ref _errors);
        _errorsByCode.AddOrUpdate(NameOf(code), 1, (_, n) => n + 1);
    }

    public void ConnectFailure(string reason) =>
        _connectFailuresByReason.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void Latency(TimeSpan latency)
    {
        var micros = Math.Clamp(latency.Ticks / (TimeSpan.TicksPerMillisecond / 1000), 1, MaxLatencyMicros);
        lock (_latencyGate)
        {
            _latencyTotal.RecordValue(micros);
            _latencyInterval.RecordValue(micros);
        }
    }

    /// <summary>The proto name (COOLDOWN), which is what clients in every language print.</summary>
    public static string NameOf(ErrorCode code) =>
        ErrorCodes.FindValueByNumber((int)code)?.Name ?? ((int)code).ToString(CultureInfo.InvariantCulture);

    /// <summary>One live line; rates are per second since the previous call.</summary>
    public string LiveLine(TimeSpan elapsed, int connected, int bots, ref long lastIn, ref long lastOut, TimeSpan interval)
    {
        var totalIn = Interlocked.Read(ref _in);
        var totalOut = Interlocked.Read(ref _out);
        var seconds = Math.Max(interval.TotalSeconds, 0.001);
        var inRate = (totalIn - lastIn) / seconds;
        var outRate = (totalOut - lastOut) / seconds;
        lastIn = totalIn;
        lastOut = totalOut;
        string latency;
        lock (_latencyGate)
        {
            latency = _latencyInterval.TotalCount == 0
                ? "p50=- p99=-"
                : $"p50={Ms(_latencyInterval.GetValueAtPercentile(50))} p99={Ms(_latencyInterval.GetValueAtPercentile(99))}";
            _latencyInterval.Reset();
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"t={elapsed.TotalSeconds:0}s connected={connected}/{bots} in={inRate:0}/s out={outRate:0}/s " +
            $"lat {latency} errors={Interlocked.Read(ref _errors)} disconnects={Interlocked.Read(ref _disconnects)}");
    }

    public string Summary(TimeSpan elapsed, int bots, int connectedAtEnd)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"--- summary after {elapsed.TotalSeconds:0.0}s ---");
        Line($"bots={bots} connected-once={EverConnected} connected-at-end={connectedAtEnd}");
        Line($"messages in={Interlocked.Read(ref _in)} out={Interlocked.Read(ref _out)} send-failures={Interlocked.Read(ref _sendFailures)}");
        Line($"disconnects={Interlocked.Read(ref _disconnects)} reconnects={Interlocked.Read(ref _reconnects)} connect-failures={Describe(_connectFailuresByReason)}");
        lock (_latencyGate)
        {
            if (_latencyTotal.TotalCount == 0)
            {
                Line($"latency samples=0");
            }
            else
            {
                Line($"latency samples={_latencyTotal.TotalCount} p50={Ms(_latencyTotal.GetValueAtPercentile(50))} p90={Ms(_latencyTotal.GetValueAtPercentile(90))} p99={Ms(_latencyTotal.GetValueAtPercentile(99))} max={Ms(_latencyTotal.GetMaxValue())}");
            }
        }

        Line($"errors={Interlocked.Read(ref _errors)} {Describe(_errorsByCode)}");
        Line($"credits-earned={Interlocked.Read(ref _credits)} mines={Interlocked.Read(ref _mines)} chats-sent={Interlocked.Read(ref _chatsSent)} chats-received={Interlocked.Read(ref _chatsReceived)} jumps={Interlocked.Read(ref _jumps)}");
        return text.ToString();
    }

    private static string Ms(long micros) => (micros / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + "ms";

    private static string Describe(ConcurrentDictionary<string, long> counts) =>
        counts.IsEmpty
            ? "none"
            : string.Join(" ", counts.OrderByDescending(p => p.Value).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
}
