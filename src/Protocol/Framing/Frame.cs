using System.Buffers.Binary;
using Google.Protobuf;

namespace AkkaGame.Protocol.Framing;

/// <summary>
/// The wire frame of PROTOCOL.md: a 4-byte unsigned big-endian length N, then N bytes of one
/// protobuf message. Shared by the server and every .NET client so both sides agree on it.
/// </summary>
public static class Frame
{
    public const int HeaderBytes = 4;

    /// <summary>The protocol's default for max-frame-bytes.</summary>
    public const int DefaultMaxFrameBytes = 65536;

    /// <summary>Encodes one message as a complete frame (header and body) in a new array.</summary>
    public static byte[] Encode(IMessage message)
    {
        ArgumentNullExceptionPolyfill.ThrowIfNull(message);
        var size = message.CalculateSize();
        var frame = new byte[HeaderBytes + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)size);
        message.WriteTo(new Span<byte>(frame, HeaderBytes, size));
        return frame;
    }
}

internal static class ArgumentNullExceptionPolyfill
{
    // ArgumentNullException.ThrowIfNull does not exist on netstandard2.1.
    public static void ThrowIfNull(object? value)
    {
#if NET
        ArgumentNullException.ThrowIfNull(value);
#else
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }
#endif
    }
}
