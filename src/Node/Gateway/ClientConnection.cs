using System.Threading.Channels;
using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaGame.Node.Sessions;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// One client connection's streams, both ways. In (<see cref="Flow"/>): bytes are split into
/// frames (shared <see cref="FrameDecoder"/>) and handed to the session with ack-based
/// back-pressure, so a flooding client is slowed by TCP instead of filling a mailbox. Out: the
/// session's frames queue here until TCP takes them. The queue is bounded by bytes, not by count,
/// and never drops silently: when a frame would take it past its bound the writer is told, and
/// the session aborts the connection of the slow consumer (<see cref="Abort"/>). Queued frames
/// are joined into writes of up to max-write-bytes, because the TCP stage waits for an ack per
/// write. The kill switch sits on both directions, so an abort resets the connection whatever
/// state its write side is in.
/// </summary>
public sealed class ClientConnection
{
    // Two writers: the session (its replies) and the sector the player is in (deltas, snapshots
    // and chat lines, written straight here by FrameDelivery), so frames are serialized by _writeLock.
    private readonly Channel<byte[]> _channel = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private readonly object _writeLock = new();
    private readonly SharedKillSwitch _killSwitch = KillSwitches.Shared("connection");
    private readonly long _maxQueuedBytes;
    private readonly GatewayMetrics? _metrics;
    private long _queuedBytes;
    private bool _completed;

    /// <param name="metrics">Counts every frame written (messages and bytes out), whoever wrote it.</param>
    public ClientConnection(long maxQueuedBytes, long maxWriteBytes, GatewayMetrics? metrics = null)
    {
        _maxQueuedBytes = maxQueuedBytes;
        _metrics = metrics;
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

    /// <summary>
    /// The connection's stream for the TCP stage: inbound chunks go to <paramref name="session"/>
    /// as <see cref="InboundFrames"/> (one ack each), outbound bytes come from <see cref="Source"/>.
    /// </summary>
    public Flow<ByteString, ByteString, NotUsed> Flow(IActorRef session, int maxFrameBytes)
    {
        var decoder = new FrameDecoder(maxFrameBytes);
        var inbound = Akka.Streams.Dsl.Flow.Create<ByteString>()
            .Via(_killSwitch.Flow<ByteString>())
            .Select(bytes =>
            {
                var frames = new List<byte[]>();
                var ok = decoder.Feed(bytes.ToReadOnlySpan(), frames);
                return new InboundFrames(frames, ok ? null : decoder.RejectedLength, bytes.Count);
            })
            .To(Sink.ActorRefWithAck<InboundFrames>(
                session,
                StreamInit.Instance,
                StreamAck.Instance,
                StreamCompleted.Instance,
                ex => new StreamFailed(ex)));
        return Akka.Streams.Dsl.Flow.FromSinkAndSource(inbound, Source);
    }

    /// <summary>
    /// Queues a frame, from any thread: <see cref="WriteResult.Full"/> (and nothing queued) when
    /// that would pass the bound, <see cref="WriteResult.Closed"/> after the last frame or an abort.
    /// </summary>
    public WriteResult Write(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_writeLock)
        {
            if (_completed)
            {
                return WriteResult.Closed;
            }

            if (Interlocked.Read(ref _queuedBytes) + frame.Length > _maxQueuedBytes)
            {
                return WriteResult.Full;
            }

            Interlocked.Add(ref _queuedBytes, frame.Length);
            _channel.Writer.TryWrite(frame);
        }

        _metrics?.Out(frame.Length);
        return WriteResult.Written;
    }

    /// <summary>
    /// Queues the last frame of the connection regardless of the bound, then completes: the
    /// socket's write side closes (FIN) once everything queued is written, while its read side
    /// stays open so the client's unread input cannot make the close a reset. No other writer's
    /// frame can follow it.
    /// </summary>
    public void WriteFinal(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        lock (_writeLock)
        {
            if (_completed)
            {
                return;
            }

            Interlocked.Add(ref _queuedBytes, frame.Length);
            _channel.Writer.TryWrite(frame);
            CompleteLocked();
        }

        _metrics?.Out(frame.Length);
    }

    /// <summary>No more frames: the socket's write side closes after the queue drains.</summary>
    public void Complete()
    {
        lock (_writeLock)
        {
            CompleteLocked();
        }
    }

    /// <summary>
    /// Drops everything queued and aborts the connection now (a reset): for a client that stopped
    /// reading, whose queue and socket buffers must not hold memory any longer.
    /// </summary>
    public void Abort(string why)
    {
        // The stream, the channel's only reader, stops; what is queued goes with this object.
        Complete();
        Interlocked.Exchange(ref _queuedBytes, 0);
        _killSwitch.Abort(new IOException(why));
    }

    private void CompleteLocked()
    {
        _completed = true;
        _channel.Writer.TryComplete();
    }
}

/// <summary>What became of a frame offered to a <see cref="ClientConnection"/>.</summary>
public enum WriteResult
{
    Written,

    /// <summary>The client let too much pile up: its session must abort it (SLOW_CONSUMER).</summary>
    Full,

    /// <summary>The connection already sent its last frame, or was aborted; the frame is dropped.</summary>
    Closed,
}
