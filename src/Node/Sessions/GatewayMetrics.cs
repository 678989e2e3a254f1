namespace AkkaGame.Node.Sessions;

/// <summary>Counters every session of a node adds to; operators read rates from them.</summary>
public sealed class GatewayMetrics
{
    private long _connections;
    private long _accepted;
    private long _messagesIn;
    private long _messagesOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _rejected;
    private long _fatal;

    public long Connections => Interlocked.Read(ref _connections);
    public long Accepted => Interlocked.Read(ref _accepted);
    public long MessagesIn => Interlocked.Read(ref _messagesIn);
    public long MessagesOut => Interlocked.Read(ref _messagesOut);
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);
    public long Rejected => Interlocked.Read(ref _rejected);
    public long FatalErrors => Interlocked.Read(ref _fatal);

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

    public void RejectedMessage() => Interlocked.Increment(ref _rejected);

    public void Fatal() => Interlocked.Increment(ref _fatal);
}
