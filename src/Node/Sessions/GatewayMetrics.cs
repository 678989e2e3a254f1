using Akkagame.V1;

namespace AkkaGame.Node.Sessions;

/// <summary>
/// Counters every session of a node adds to: operators read rates from them (<c>game stats</c>),
/// and the node's metrics (<see cref="Monitoring.NodeMetrics"/>) export them. Plain interlocked
/// counters, so the hot path pays one atomic add per frame.
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>One slot per protocol error code (game.proto's ErrorCode), for counts by code.</summary>
    private static readonly int CodeSlots = Enum.GetValues<ErrorCode>().Max(c => (int)c) + 1;

    private readonly long[] _errorsByCode = new long[CodeSlots];
    private readonly long[] _fatalByCode = new long[CodeSlots];
    private long _connections;
    private long _accepted;
    private long _messagesIn;
    private long _messagesOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _rejected;
    private long _fatal;
    private long _logins;
    private long _loginsBusy;
    private long _loginsFailed;

    public long Connections => Interlocked.Read(ref _connections);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long MessagesIn => Interlocked.Read(ref _messagesIn);
    public long MessagesOut => Interlocked.Read(ref _messagesOut);
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    /// <summary>Inputs refused by the rate limit (what <c>game stats</c> shows).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);
    public long FatalErrors => Interlocked.Read(ref _fatal);

    /// <summary>Players logged in (Welcome sent).</summary>
    public long Logins => Interlocked.Read(ref _logins);

    /// <summary>Logins answered SERVER_BUSY: the player could not be loaded within the login budget.</summary>
    public long LoginsBusy => Interlocked.Read(ref _loginsBusy);

    /// <summary>Logins that failed inside the node (INTERNAL).</summary>
    public long LoginsFailed => Interlocked.Read(ref _loginsFailed);

    public void Opened()
    {
        Interlocked.Increment(ref _connections);
        Interlocked.Increment(ref _accepted);
    }

    public void Closed() => Interlocked.Decrement(ref _connections);

    public void In(int bytes)
    {
        Interlocked.Increment(ref _messagesIn);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    public void Out(int bytes)
    {
        Interlocked.Increment(ref _messagesOut);
        Interlocked.Add(ref _bytesOut, bytes);
    }

    /// <summary>A non-fatal error answered to a client's message (rate limit, invalid input, cooldown, ...).</summary>
    public void ErrorAnswered(ErrorCode code)
    {
        if (code == ErrorCode.RateLimited)
        {
            Interlocked.Increment(ref _rejected);
        }

        Interlocked.Increment(ref _errorsByCode[Slot(code)]);
    }

    /// <summary>A fatal error: the connection's last frame, or an abort (SLOW_CONSUMER).</summary>
    public void Fatal(ErrorCode code)
    {
        Interlocked.Increment(ref _fatal);
        Interlocked.Increment(ref _fatalByCode[Slot(code)]);
    }

    public void LoggedIn() => Interlocked.Increment(ref _logins);

    public void LoginBusy() => Interlocked.Increment(ref _loginsBusy);

    public void LoginFailed() => Interlocked.Increment(ref _loginsFailed);

    /// <summary>Non-fatal errors answered so far, by code (codes never sent are left out).</summary>
    public IEnumerable<(ErrorCode Code, long Count)> ErrorsByCode() => ByCode(_errorsByCode);

    /// <summary>Fatal errors so far, by code (codes never sent are left out).</summary>
    public IEnumerable<(ErrorCode Code, long Count)> FatalByCode() => ByCode(_fatalByCode);

    private static IEnumerable<(ErrorCode, long)> ByCode(long[] counts)
    {
        for (var i = 0; i < counts.Length; i++)
        {
            var n = Interlocked.Read(ref counts[i]);
            if (n > 0)
            {
                yield return ((ErrorCode)i, n);
            }
        }
    }

    private static int Slot(ErrorCode code) => (int)code is var i && i >= 0 && i < CodeSlots ? i : 0;
}
