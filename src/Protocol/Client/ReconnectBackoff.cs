namespace AkkaGame.Protocol.Client;

/// <summary>
/// The waits between the reconnect attempts of one outage, as <see cref="GameClient"/> uses them:
/// <list type="bullet">
/// <item>a failed attempt doubles the back-off, from <see cref="GameClientOptions.ReconnectDelay"/> up to 5 s;</item>
/// <item><c>SERVER_BUSY</c> doubles it too, and the next wait is anywhere between half and all of
/// it, so a storm of clients turned away together does not come back in step;</item>
/// <item>a refused connection (nothing listens: that node is down) moves to the next endpoint
/// after the base delay without growing the back-off, until every endpoint refused in a row;</item>
/// <item>every wait gets up to a quarter more as jitter.</item>
/// </list>
/// </summary>
internal sealed class ReconnectBackoff
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _baseDelay;
    private readonly int _endpoints;
    private readonly Random _random;
    private TimeSpan _backoff;
    private TimeSpan _delay;
    private int _refusedInARow;

    /// <param name="baseDelay">The first back-off (<see cref="GameClientOptions.ReconnectDelay"/>).</param>
    /// <param name="firstDelay">The wait before the first attempt (a shutdown notice may ask for another).</param>
    /// <param name="endpoints">How many endpoints the client rotates through.</param>
    /// <param name="random">The jitter's source (one per client; seeded in tests).</param>
    public ReconnectBackoff(TimeSpan baseDelay, TimeSpan firstDelay, int endpoints, Random random)
    {
        _baseDelay = baseDelay;
        _backoff = baseDelay;
        _delay = firstDelay;
        _endpoints = endpoints;
        _random = random;
    }

    /// <summary>The wait before the next attempt, jitter included.</summary>
    public TimeSpan NextWait() => _delay + TimeSpan.FromMilliseconds(_random.Next(0, (int)(_delay.TotalMilliseconds / 4) + 1));

    /// <summary>An attempt failed (timed out, reset, refused by a game error that allows retrying).</summary>
    public void Failed()
    {
        _refusedInARow = 0;
        Grow();
        _delay = _backoff;
    }

    /// <summary>The server answered <c>SERVER_BUSY</c>.</summary>
    public void ServerBusy()
    {
        _refusedInARow = 0;
        Grow();
        _delay = TimeSpan.FromMilliseconds(_random.Next((int)(_backoff.TotalMilliseconds / 2), (int)_backoff.TotalMilliseconds + 1));
    }

    /// <summary>
    /// The connection was refused. True: try the next endpoint after the base delay (the back-off
    /// is unchanged); false: every endpoint refused in a row, so count it as <see cref="Failed"/>.
    /// </summary>
    public bool Refused()
    {
        if (++_refusedInARow < _endpoints)
        {
            _delay = _baseDelay;
            return true;
        }

        Failed();
        return false;
    }

    private void Grow() => _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxDelay.Ticks));
}
