using AkkaGame.Node.Sessions;

namespace AkkaGame.Node.Operations;

/// <summary>Per-second rates from the gateway's counters, for <c>game stats</c>.</summary>
public sealed record GatewayRateSample(double WindowSeconds, double MessagesInPerSecond, double MessagesOutPerSecond, double BytesInPerSecond, double BytesOutPerSecond);

/// <summary>
/// Rates over the time since the previous <c>game stats</c> when that was 1 to 60 s ago (an
/// operator watching the numbers), else over a fresh one-second window.
/// </summary>
public sealed class GatewayRates(GatewayMetrics metrics)
{
    private static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(60);

    private readonly object _gate = new();
    private Counters? _last;

    public async Task<GatewayRateSample> MeasureAsync(CancellationToken cancel)
    {
        var now = Counters.Take(metrics);
        Counters? previous;
        lock (_gate)
        {
            previous = _last;
            _last = now;
        }

        if (previous is not null && now.At - previous.At >= MinWindow.TotalSeconds && now.At - previous.At <= MaxWindow.TotalSeconds)
        {
            return Between(previous, now);
        }

        await Task.Delay(MinWindow, cancel);
        var later = Counters.Take(metrics);
        lock (_gate)
        {
            _last = later;
        }

        return Between(now, later);
    }

    private static GatewayRateSample Between(Counters a, Counters b)
    {
        var seconds = Math.Max(b.At - a.At, 0.001);
        return new GatewayRateSample(
            Math.Round(seconds, 3),
            Math.Round((b.MessagesIn - a.MessagesIn) / seconds, 1),
            Math.Round((b.MessagesOut - a.MessagesOut) / seconds, 1),
            Math.Round((b.BytesIn - a.BytesIn) / seconds, 1),
            Math.Round((b.BytesOut - a.BytesOut) / seconds, 1));
    }

    private sealed record Counters(double At, long MessagesIn, long MessagesOut, long BytesIn, long BytesOut)
    {
        public static Counters Take(GatewayMetrics m) =>
            new(Environment.TickCount64 / 1000.0, m.MessagesIn, m.MessagesOut, m.BytesIn, m.BytesOut);
    }
}
