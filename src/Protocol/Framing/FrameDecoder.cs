using System.Buffers.Binary;

namespace AkkaGame.Protocol.Framing;

/// <summary>Why a byte stream stopped being a valid sequence of frames.</summary>
public enum FrameError
{
    None = 0,
    /// <summary>A header announced a length of zero or above the limit.</summary>
    BadLength = 1,
}

/// <summary>
/// Splits a TCP byte stream into frame bodies, whatever the chunk boundaries. Single-owner:
/// one decoder per connection, fed in arrival order. After an error it accepts nothing more,
/// because the stream position can no longer be trusted.
/// </summary>
public sealed class FrameDecoder
{
    private readonly int _maxFrameBytes;
    private readonly byte[] _header = new byte[Frame.HeaderBytes];
    private int _headerFilled;
    private byte[]? _body;
    private int _bodyFilled;

    public FrameDecoder(int maxFrameBytes = Frame.DefaultMaxFrameBytes)
    {
        if (maxFrameBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxFrameBytes), "must be at least 1");
        }

        _maxFrameBytes = maxFrameBytes;
    }

    public FrameError Error { get; private set; }

    /// <summary>The length the offending header announced, when <see cref="Error"/> is set.</summary>
    public long RejectedLength { get; private set; }

    /// <summary>
    /// Consumes a chunk and appends every frame body it completes to <paramref name="frames"/>.
    /// Returns false (and sets <see cref="Error"/>) when the stream is invalid; frames completed
    /// before the bad header are still appended.
    /// </summary>
    public bool Feed(ReadOnlySpan<byte> chunk, List<byte[]> frames)
    {
        ArgumentNullExceptionPolyfill.ThrowIfNull(frames);
        if (Error != FrameError.None)
        {
            return false;
        }

        while (!chunk.IsEmpty)
        {
            if (_body is null)
            {
                var take = Math.Min(Frame.HeaderBytes - _headerFilled, chunk.Length);
                chunk.Slice(0, take).CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                chunk = chunk.Slice(take);
                if (_headerFilled < Frame.HeaderBytes)
                {
                    break;
                }

                var length = BinaryPrimitives.ReadUInt32BigEndian(_header);
                if (length == 0 || length > (uint)_maxFrameBytes)
                {
                    Error = FrameError.BadLength;
                    RejectedLength = length;
                    return false;
                }

                _body = new byte[length];
                _bodyFilled = 0;
                _headerFilled = 0;
            }

            var need = _body.Length - _bodyFilled;
            var copy = Math.Min(need, chunk.Length);
            chunk.Slice(0, copy).CopyTo(_body.AsSpan(_bodyFilled));
            _bodyFilled += copy;
            chunk = chunk.Slice(copy);
            if (_bodyFilled == _body.Length)
            {
                frames.Add(_body);
                _body = null;
            }
        }

        return true;
    }
}
