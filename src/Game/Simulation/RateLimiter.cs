namespace AkkaGame.Game.Simulation;

public enum RateDecision
{
    Allow = 0,
    /// <summary>Over the limit: drop this message and answer RATE_LIMITED.</summary>
    Reject,
    /// <summary>Far over the limit: close the connection.</summary>
    Fatal,
}

/// <summary>
/// PROTOCOL.md Behaviour 12: a token bucket of <c>perSecond</c> with a burst, and a count of
/// messages per one-second window, where more than <c>fatalMultiplier</c> times the limit is fatal.
/// </summary>
public sealed class RateLimiter(int perSecond, int burst, int fatalMultiplier)
{
    private double _tokens = burst;
    private long _lastRefillMs = -1;
    private long _windowStartMs = -1;
    private int _windowCount;

    public RateDecision Check(long nowMs)
    {
        if (_lastRefillMs < 0)
        {
            _lastRefillMs = nowMs;
            _windowStartMs = nowMs;
        }

        _tokens = Math.Min(burst, _tokens + ((nowMs - _lastRefillMs) * perSecond / 1000.0));
        _lastRefillMs = nowMs;

        if (nowMs - _windowStartMs >= 1000)
        {
            _windowStartMs = nowMs;
            _windowCount = 0;
        }

        _windowCount++;
        if (_windowCount > perSecond * fatalMultiplier)
        {
            return RateDecision.Fatal;
        }

        if (_tokens < 1)
        {
            return RateDecision.Reject;
        }

        _tokens -= 1;
        return RateDecision.Allow;
    }
}
