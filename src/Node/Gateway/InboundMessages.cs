namespace AkkaGame.Node.Gateway;

// The protocol between a connection's inbound stream (Sink.ActorRefWithAck) and its session.
// Local to one node, never serialized.

/// <summary>The inbound stream started; the session acks to ask for the first chunk.</summary>
public sealed class StreamInit
{
    public static readonly StreamInit Instance = new();
}

/// <summary>The session is ready for the next chunk.</summary>
public sealed class StreamAck
{
    public static readonly StreamAck Instance = new();
}

/// <summary>The client closed its side (or the connection closed).</summary>
public sealed class StreamCompleted
{
    public static readonly StreamCompleted Instance = new();
}

public sealed record StreamFailed(Exception Cause);

/// <summary>
/// The frames one TCP read completed, in order. <paramref name="BadLength"/> is set when the
/// stream turned invalid after these frames (a zero or oversized length header).
/// <paramref name="Bytes"/> is the size of the read, whatever it decoded to.
/// </summary>
public sealed record InboundFrames(IReadOnlyList<byte[]> Frames, long? BadLength, int Bytes);
