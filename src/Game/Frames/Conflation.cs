namespace AkkaGame.Game.Frames;

/// <summary>
/// When a player's connection cannot take a sector's deltas as fast as they come, read from
/// akkagame.sector (conflation, stall-timeout) and the gateway's max-outbound-bytes.
/// </summary>
/// <param name="BehindBytes">A connection with more than this queued unsent is behind: it gets no deltas until it has drained to half of it.</param>
/// <param name="BoundBytes">The connection's outbound bound (max-outbound-bytes): a delta that would take its queue past it is not queued either.</param>
/// <param name="StallTimeout">A behind connection that takes nothing off its queue for this long is a slow consumer.</param>
public sealed record ConflationRules(long BehindBytes, long BoundBytes, TimeSpan StallTimeout)
{
    /// <summary>Connections that take less than half a behind bound get a fresh snapshot and deltas again.</summary>
    public long ResumeBytes => BehindBytes / 2;

    /// <summary>The rules, or a FormatException that names the setting out of range.</summary>
    public static ConflationRules Checked(long behindBytes, long boundBytes, TimeSpan stallTimeout)
    {
        if (behindBytes <= 0 || behindBytes >= boundBytes)
        {
            throw new FormatException($"a connection's behind bound ({behindBytes} bytes) must be above 0 and below akkagame.gateway.max-outbound-bytes ({boundBytes})");
        }

        if (stallTimeout <= TimeSpan.Zero)
        {
            throw new FormatException($"akkagame.sector.stall-timeout must be above 0, not {stallTimeout}");
        }

        return new ConflationRules(behindBytes, boundBytes, stallTimeout);
    }
}

/// <summary>What becomes of a tick's delta offered for one connection.</summary>
public enum DeltaDecision
{
    /// <summary>Queue it.</summary>
    Write,

    /// <summary>Drop it: the connection is behind, and gets a fresh snapshot once it has drained.</summary>
    Skip,

    /// <summary>Drop it and disconnect the client (SLOW_CONSUMER): behind, it took nothing for the stall timeout.</summary>
    Abort,
}

/// <summary>
/// Conflation of a sector's deltas, per connection: a delta describes the sector's state, so a
/// client that is behind needs the newest state, not every delta in between. A connection
/// with more than <see cref="ConflationRules.BehindBytes"/> queued unsent (or that a delta would
/// take past its bound) gets no deltas; once it has drained to
/// <see cref="ConflationRules.ResumeBytes"/> the caller sends it one fresh snapshot of what it
/// sees and deltas go on from there. A crowd the node cannot deliver to at the tick rate is so
/// served at the rate each connection takes frames, instead of piling frames up until its
/// players are dropped as slow consumers. A behind connection that takes nothing at all for
/// <see cref="ConflationRules.StallTimeout"/> is a client that stopped reading: disconnected.
/// Only deltas are conflated: chat lines and replies are events, always queued. Pure and not
/// thread-safe: one sector's actor owns it; the caller reads each connection's queue.
/// </summary>
/// <typeparam name="TKey">What names a connection (the sector uses its session).</typeparam>
public sealed class Conflation<TKey>(ConflationRules rules)
    where TKey : notnull
{
    /// <summary>Each behind connection: the frames it had taken when it last made progress, and when.</summary>
    private readonly Dictionary<TKey, (long Taken, long ProgressAtMs)> _behind = [];

    public ConflationRules Rules { get; } = rules ?? throw new ArgumentNullException(nameof(rules));

    /// <summary>How many connections are behind now.</summary>
    public int BehindCount => _behind.Count;

    public bool IsBehind(TKey key) => _behind.Count > 0 && _behind.ContainsKey(key);

    /// <summary>
    /// A tick's delta of <paramref name="bytes"/> for a connection with <paramref name="queued"/>
    /// bytes unsent that has taken <paramref name="taken"/> frames off its queue so far (any
    /// counter that grows whenever it takes one).
    /// </summary>
    public DeltaDecision Offer(TKey key, long queued, long taken, long bytes, long nowMs)
    {
        // Nobody behind is the everyday case: no lookup at all then.
        if (_behind.Count > 0 && _behind.TryGetValue(key, out var behind))
        {
            if (taken != behind.Taken)
            {
                _behind[key] = (taken, nowMs);
                return DeltaDecision.Skip;
            }

            if (nowMs - behind.ProgressAtMs >= (long)Rules.StallTimeout.TotalMilliseconds)
            {
                _behind.Remove(key);
                return DeltaDecision.Abort;
            }

            return DeltaDecision.Skip;
        }

        if (queued > Rules.BehindBytes || queued + bytes > Rules.BoundBytes)
        {
            _behind[key] = (taken, nowMs);
            return DeltaDecision.Skip;
        }

        return DeltaDecision.Write;
    }

    /// <summary>A frame meant to bring the connection up to date did not fit (another writer filled it first): it is behind.</summary>
    public void FellBehind(TKey key, long taken, long nowMs) => _behind.TryAdd(key, (taken, nowMs));

    /// <summary>
    /// True when a behind connection has drained to <see cref="ConflationRules.ResumeBytes"/>: it
    /// is no longer behind, and the caller sends it a fresh snapshot before its next delta.
    /// </summary>
    public bool TryResume(TKey key, long queued) => queued <= Rules.ResumeBytes && _behind.Remove(key);

    /// <summary>The connection left the sector.</summary>
    public void Forget(TKey key) => _behind.Remove(key);

    /// <summary>Forgets every connection that <paramref name="gone"/> says is gone (for an owner that is not told when they go).</summary>
    public void ForgetWhere(Func<TKey, bool> gone)
    {
        foreach (var key in _behind.Keys.Where(gone).ToList())
        {
            _behind.Remove(key);
        }
    }
}
