namespace AkkaGame.Node.Gateway;

// What a connection's inbound stream (ClientConnection.SessionSink) sends its session; the
// session answers by calling ClientConnection.InboundHandled. Local to one node, never serialized.

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
