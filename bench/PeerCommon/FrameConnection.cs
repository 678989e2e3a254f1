using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// One client connection on async sockets, for the peers that do not block a thread per client:
/// a read loop that holds no buffer while the client is quiet (a zero-byte read waits for data
/// first), and a bounded outbound queue (by bytes, as the node's ClientConnection) drained by
/// one writer that joins queued frames into writes of up to max-write-bytes.
/// </summary>
public sealed class FrameConnection : IDisposable
{
    private const int ReadBufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly PeerSettings _settings;
    private readonly Channel<byte[]> _outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    // Cancelled when the client is gone, a write fails, or the close linger runs out.
    private readonly CancellationTokenSource _abort = new();
    private long _queuedBytes;
    private int _closing;

    public FrameConnection(Socket socket, PeerSettings settings)
    {
        _socket = socket ?? throw new ArgumentNullException(nameof(socket));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));

        // Replies and deltas are small and latency-bound: never wait to coalesce them.
        _socket.NoDelay = true;
    }

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    /// <summary>Serves the connection until it ends; then disposes the socket and calls OnClosed.</summary>
    public async Task RunAsync(IFrameHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var writing = WriteLoopAsync();
        try
        {
            await ReadLoopAsync(handler);
        }
        finally
        {
            if (Interlocked.Exchange(ref _closing, 1) == 0)
            {
                // The client went away first: nothing queued can reach it any more.
                _outbound.Writer.TryComplete();
                _abort.Cancel();
            }

            await writing;
            Dispose();
            handler.OnClosed();
        }
    }

    /// <summary>Queues a frame; false (nothing queued) when it would pass the outbound bound. Thread-safe.</summary>
    public bool TryWrite(byte[] frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (IsClosing)
        {
            // The connection is ending; what it would have carried no longer matters.
            return true;
        }

        if (Interlocked.Add(ref _queuedBytes, frame.Length) > _settings.MaxOutboundBytes)
        {
            Interlocked.Add(ref _queuedBytes, -frame.Length);
            return false;
        }

        return _outbound.Writer.TryWrite(frame) || IsClosing;
    }

    /// <summary>
    /// Sends a last frame (past the bound, best effort) and closes: the write side shuts down once
    /// drained, then the client gets close-linger to close first before the socket is dropped.
    /// </summary>
    public void CloseWith(byte[] lastFrame)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        // Armed before the queue completes: once it completes, RunAsync may end and dispose the source.
        _abort.CancelAfter(_settings.CloseLinger);
        _outbound.Writer.TryWrite(lastFrame);
        _outbound.Writer.TryComplete();
    }

    /// <summary>Drops the socket at once. RunAsync calls it when both loops are over.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _closing, 1);
        _outbound.Writer.TryComplete();
        _socket.Dispose();
        _abort.Dispose();
    }

    private async Task ReadLoopAsync(IFrameHandler handler)
    {
        var decoder = new FrameDecoder(_settings.Session.MaxFrameBytes);
        var frames = new List<byte[]>();
        try
        {
            while (true)
            {
                // Wait for data without holding a buffer: idle connections cost no read buffer.
                await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, _abort.Token);
                var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
                try
                {
                    var n = await _socket.ReceiveAsync(buffer.AsMemory(0, ReadBufferBytes), SocketFlags.None, _abort.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    if (IsClosing)
                    {
                        // Lingering after a last frame: input is no longer served.
                        continue;
                    }

                    var valid = decoder.Feed(buffer.AsSpan(0, n), frames);
                    foreach (var frame in frames)
                    {
                        if (IsClosing)
                        {
                            break;
                        }

                        await handler.OnFrameAsync(frame);
                    }

                    frames.Clear();
                    if (!valid && !IsClosing)
                    {
                        handler.OnBadLength(decoder.RejectedLength);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client reset the connection, or the linger or a write failure aborted it: either
            // way the read side is over, which is what returning says.
            return;
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_abort.Token))
            {
                await WriteBatchAsync(reader);
            }

            // Completed and drained (a last frame was queued): half-close, and let the reader linger.
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket broke or the close linger ran out: stop reading too.
            _abort.Cancel();
        }
    }

    private async Task WriteBatchAsync(ChannelReader<byte[]> reader)
    {
        if (!reader.TryRead(out var first))
        {
            return;
        }

        Interlocked.Add(ref _queuedBytes, -first.Length);
        var max = _settings.MaxWriteBytes;
        if (!reader.TryPeek(out var next) || first.Length + next.Length > max)
        {
            await SendAsync(first);
            return;
        }

        var batch = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            first.CopyTo(batch, 0);
            var length = first.Length;
            while (reader.TryPeek(out next) && length + next.Length <= max && reader.TryRead(out next))
            {
                Interlocked.Add(ref _queuedBytes, -next.Length);
                next.CopyTo(batch, length);
                length += next.Length;
            }

            await SendAsync(batch.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private async ValueTask SendAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, _abort.Token);
            bytes = bytes[sent..];
        }
    }
}
