using System.Threading.Channels;
using Akka;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// The outbound side of one client connection: frames queue here until TCP takes them. The
/// queue is bounded by bytes, not by count, and never drops silently: when a frame would take
/// it past its bound the writer is told, and the session aborts the connection of the slow
/// consumer (<see cref="Abort"/>). Queued frames are joined into writes of up to
/// max-write-bytes, because the TCP stage waits for an ack per write.
/// </summary>
public sealed class ConnectionOutbound
{
    private readonly Channel<byte[]> _channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SharedKillSwitch _killSwitch = KillSwitches.Shared("connection");
    private readonly long _maxQueuedBytes;
    private long _queuedBytes;

    public ConnectionOutbound(long maxQueuedBytes, long maxWriteBytes)
    {
        _maxQueuedBytes = maxQueuedBytes;
        Source = ChannelSource.FromReader(_channel.Reader)
            .Select(frame =>
            {
                Interlocked.Add(ref _queuedBytes, -frame.Length);
                return frame;
            })
            .BatchWeighted(maxWriteBytes, frame => frame.Length, frame => new List<byte[]> { frame }, (batch, frame) =>
            {
                batch.Add(frame);
                return batch;
            })
            .Select(batch => batch.Count == 1 ? ByteString.FromBytes(batch[0]) : ByteString.CopyFrom(batch.Select(f => new ArraySegment<byte>(f))))
            .Via(_killSwitch.Flow<ByteString>());
    }

    /// <summary>
    /// The bytes to write to the socket. Completes after <see cref="Complete"/> once drained (the
    /// TCP stage then closes its write side); fails at once after <see cref="Abort"/> (the TCP
    /// stage then aborts the connection).
    /// </summary>
    public Source<ByteString, NotUsed> Source { get; }

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Placed on the inbound side as well (ConnectionFlow), so <see cref="Abort"/> resets the connection even after the write side has closed.</summary>
    public SharedKillSwitch KillSwitch => _killSwitch;

    /// <summary>Queues a frame; false (and nothing queued) when that would pass the bound.</summary>
    public bool TryWrite(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (Interlocked.Read(ref _queuedBytes) + frame.Length > _maxQueuedBytes)
        {
            return false;
        }

        Interlocked.Add(ref _queuedBytes, frame.Length);
        return _channel.Writer.TryWrite(frame);
    }

    /// <summary>
    /// Queues the last frame of the connection regardless of the bound, then completes: the
    /// socket's write side closes (FIN) once everything queued is written, while its read side
    /// stays open so the client's unread input cannot make the close a reset.
    /// </summary>
    public void WriteFinal(byte[] frame)
    {
        Interlocked.Add(ref _queuedBytes, frame.Length);
        _channel.Writer.TryWrite(frame);
        Complete();
    }

    /// <summary>No more frames: the socket's write side closes after the queue drains.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>
    /// Drops everything queued and aborts the connection now (a reset): for a client that stopped
    /// reading, whose queue and socket buffers must not hold memory any longer.
    /// </summary>
    public void Abort(string why)
    {
        // The stream, the channel's only reader, stops; what is queued goes with this object.
        _channel.Writer.TryComplete();
        Interlocked.Exchange(ref _queuedBytes, 0);
        _killSwitch.Abort(new IOException(why));
    }
}
