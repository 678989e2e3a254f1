using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akkagame.V1;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;

namespace AkkaGame.Protocol.Client;

/// <summary>
/// One TCP connection of a <see cref="GameClient"/>: the socket, its receive loop, serialized
/// writes, the per-connection seq counter and the replies awaited by seq. A reconnect makes a new
/// one, so nothing here survives a connection loss.
/// </summary>
internal sealed class Connection : IDisposable
{
    private const int ReadBufferBytes = 16 * 1024;

    private readonly NetworkStream _stream;
    private readonly int _maxFrameBytes;
    private readonly Func<byte[], bool>? _frameFilter;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly object _sync = new();
    private readonly Dictionary<uint, TaskCompletionSource<ServerMessage>> _awaitingAck = new();
    private readonly TaskCompletionSource<ServerMessage> _handshake =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private uint _seq;
    private TaskCompletionSource<bool>? _receiveGate;
    private string? _closeReason;
    private string? _endReason;
    private long _reconnectAtTimestamp;

    private Connection(Socket socket, EndpointAddress endpoint, int maxFrameBytes, Func<byte[], bool>? frameFilter)
    {
        _stream = new NetworkStream(socket, ownsSocket: true);
        _maxFrameBytes = maxFrameBytes;
        _frameFilter = frameFilter;
        Endpoint = endpoint;
    }

    public EndpointAddress Endpoint { get; }

    /// <summary>Fires when the connection closes; stops the loops tied to it.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>The first Welcome or Error, which answers the Hello.</summary>
    public Task<ServerMessage> Handshake => _handshake.Task;

    /// <summary>Set by the client, under its lock, once the Welcome made this the current connection.</summary>
    public bool Established { get; set; }

    /// <summary>False after a fatal error or Notice that forbids an automatic reconnect.</summary>
    public bool MayReconnect { get; private set; } = true;

    public bool IsClosed
    {
        get
        {
            lock (_sync)
            {
                return _closeReason is not null;
            }
        }
    }

    public Task ReceiveLoop { get; private set; } = Task.CompletedTask;

    public Task? PingLoop { get; set; }

    /// <summary>Opens the TCP connection, trying each address the host resolves to.</summary>
    public static async Task<Connection> OpenAsync(
        EndpointAddress endpoint, GameClientOptions options, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? new[] { literal }
            : await AsyncWait.WithCancellation(ResolveAsync(endpoint.Host, ct), ct).ConfigureAwait(false);
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            {
                // Inputs are small and latency-bound: never wait to coalesce them.
                NoDelay = true,
            };
            if (options.ReceiveBufferSize is { } size)
            {
                // Before connecting, so the TCP window is negotiated with it.
                socket.ReceiveBufferSize = size;
            }

            try
            {
                // netstandard2.1 has no cancellable connect: disposing the socket aborts it.
                using (ct.Register(socket.Dispose))
                {
                    await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port)).ConfigureAwait(false);
                }

                ct.ThrowIfCancellationRequested();
                return new Connection(socket, endpoint, options.MaxFrameBytes, options.FrameFilter);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                socket.Dispose();
                ct.ThrowIfCancellationRequested();
                last = ex;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Closes the connection; the tokens and locks stay usable by callers still racing it.</summary>
    public void Dispose() => Close("disposed");

    /// <summary>Starts the receive loop; <paramref name="onClosed"/> runs once, when it ends.</summary>
    public void Start(Action<Connection, ServerMessage> onMessage, Action<Connection, string> onClosed)
    {
        ReceiveLoop = Task.Run(() => ReceiveLoopAsync(onMessage, onClosed));
    }

    /// <summary>
    /// Writes one message, giving it the next seq when it has none. With <paramref name="reply"/>,
    /// registers it for the answer (ack = seq) before writing, so the answer cannot slip past.
    /// </summary>
    public async Task<uint> SendAsync(ClientMessage message, TaskCompletionSource<ServerMessage>? reply)
    {
        await AcquireWriteLockAsync().ConfigureAwait(false);
        try
        {
            // Seq is assigned under the write lock so that seqs on the wire always increase.
            if (message.Seq == 0)
            {
                message.Seq = ++_seq;
            }

            if (reply is not null)
            {
                lock (_sync)
                {
                    ThrowIfClosed();
                    _awaitingAck[message.Seq] = reply;
                }
            }

            await WriteAsync(Frame.Encode(message)).ConfigureAwait(false);
            return message.Seq;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes bytes exactly as given: tests use it to send garbage and bad lengths.</summary>
    public async Task SendRawAsync(byte[] bytes)
    {
        await AcquireWriteLockAsync().ConfigureAwait(false);
        try
        {
            await WriteAsync(bytes).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Stops (or resumes) reading the socket, so the server's writes back up into its buffer:
    /// how tests play a slow consumer.
    /// </summary>
    public void SetReceivePaused(bool paused)
    {
        TaskCompletionSource<bool>? released = null;
        lock (_sync)
        {
            if (paused)
            {
                _receiveGate ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                released = _receiveGate;
                _receiveGate = null;
            }
        }

        released?.TrySetResult(true);
    }

    /// <summary>Stops waiting for the answer to <paramref name="seq"/> (after a timeout).</summary>
    public void ForgetReply(uint seq, TaskCompletionSource<ServerMessage> reply)
    {
        lock (_sync)
        {
            if (_awaitingAck.TryGetValue(seq, out var registered) && registered == reply)
            {
                _awaitingAck.Remove(seq);
            }
        }
    }

    /// <summary>When the server last sent anything (Stopwatch ticks): a silent server is a dead or frozen one.</summary>
    public long LastReceived => Interlocked.Read(ref _lastReceived);

    private long _lastReceived = Stopwatch.GetTimestamp();

    /// <summary>Completes whoever awaits this message: the handshake, or a request by its ack.</summary>
    public void Dispatch(ServerMessage message)
    {
        if (message.BodyCase is ServerMessage.BodyOneofCase.Welcome or ServerMessage.BodyOneofCase.Error)
        {
            _handshake.TrySetResult(message);
        }

        if (message.Ack == 0)
        {
            return;
        }

        TaskCompletionSource<ServerMessage>? reply;
        lock (_sync)
        {
            if (_awaitingAck.TryGetValue(message.Ack, out reply))
            {
                _awaitingAck.Remove(message.Ack);
            }
        }

        reply?.TrySetResult(message);
    }

    /// <summary>
    /// Records why the server is about to close: the reason reported for the close, and whether
    /// reconnecting is allowed.
    /// </summary>
    public void ExpectEnd(string reason, bool mayReconnect)
    {
        lock (_sync)
        {
            _endReason = reason;
            MayReconnect &= mayReconnect;
        }
    }

    /// <summary>
    /// A shutting-down node asked to come back after <paramref name="after"/>. Should the node not
    /// close by then, this side closes, so the client never lingers on a draining node.
    /// </summary>
    public void ReconnectAfter(TimeSpan after)
    {
        Interlocked.Exchange(ref _reconnectAtTimestamp, Stopwatch.GetTimestamp() + (long)(after.TotalSeconds * Stopwatch.Frequency));
        _ = CloseLaterAsync(after);
    }

    /// <summary>How long the node asked to wait before reconnecting, from now; null if it did not ask.</summary>
    public TimeSpan? RemainingReconnectWait()
    {
        var at = Interlocked.Read(ref _reconnectAtTimestamp);
        if (at == 0)
        {
            return null;
        }

        var ticks = Math.Max(0, at - Stopwatch.GetTimestamp());
        return TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
    }

    /// <summary>Closes the socket; the first reason given is the one reported. Idempotent.</summary>
    public void Close(string reason)
    {
        List<TaskCompletionSource<ServerMessage>> abandoned;
        lock (_sync)
        {
            if (_closeReason is not null)
            {
                return;
            }

            _closeReason = reason;
            abandoned = _awaitingAck.Values.ToList();
            _awaitingAck.Clear();
        }

        _closing.Cancel();
        _stream.Dispose();
        var lost = new IOException($"connection to {Endpoint} closed: {reason}");
        _handshake.TrySetException(lost);
        foreach (var reply in abandoned)
        {
            reply.TrySetException(lost);
        }
    }

    private async Task ReceiveLoopAsync(Action<Connection, ServerMessage> onMessage, Action<Connection, string> onClosed)
    {
        var buffer = new byte[ReadBufferBytes];
        var frames = new List<byte[]>();
        var decoder = new FrameDecoder(_maxFrameBytes);
        string? reason = null;
        try
        {
            while (reason is null)
            {
                await WhileReceivePausedAsync().ConfigureAwait(false);
                var read = await _stream.ReadAsync(buffer.AsMemory(), _closing.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    reason = EndReason() ?? "server closed the connection";
                    break;
                }

                // Any bytes are a sign of life, including frames a FrameFilter consumes undecoded.
                Interlocked.Exchange(ref _lastReceived, Stopwatch.GetTimestamp());

                // A read already under way when the pause began is held here, undelivered.
                await WhileReceivePausedAsync().ConfigureAwait(false);

                var valid = decoder.Feed(buffer.AsSpan(0, read), frames);
                foreach (var frame in frames)
                {
                    if (_frameFilter is null || _frameFilter(frame))
                    {
                        onMessage(this, ServerMessage.Parser.ParseFrom(frame));
                    }
                }

                frames.Clear();
                if (!valid)
                {
                    reason = $"server sent a frame of invalid length {decoder.RejectedLength}";
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = EndReason() ?? $"connection lost: {ex.Message}";
        }
        catch (InvalidProtocolBufferException ex)
        {
            reason = $"server sent a malformed frame: {ex.Message}";
        }
#pragma warning disable CA1031 // A throwing MessageReceived handler must end this connection visibly, not kill the loop silently.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            reason = $"message handler failed: {ex.GetType().Name}: {ex.Message}";
        }

        Close(reason);
        string closeReason;
        lock (_sync)
        {
            closeReason = _closeReason!;
        }

        onClosed(this, closeReason);
    }

    private static Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
#if NET
        return Dns.GetHostAddressesAsync(host, ct);
#else
        // No cancellable overload on netstandard2.1; the caller stops waiting on cancellation.
        _ = ct;
        return Dns.GetHostAddressesAsync(host);
#endif
    }

    private async Task WhileReceivePausedAsync()
    {
        Task? gate;
        lock (_sync)
        {
            gate = _receiveGate?.Task;
        }

        if (gate is not null)
        {
            await AsyncWait.WithCancellation(gate, _closing.Token).ConfigureAwait(false);
        }
    }

    private string? EndReason()
    {
        lock (_sync)
        {
            // A local close (client closed it) explains the end better than the read error it caused.
            return _closeReason ?? _endReason;
        }
    }

    private async Task AcquireWriteLockAsync()
    {
        try
        {
            await _writeLock.WaitAsync(_closing.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw new IOException($"connection to {Endpoint} is closed", ex);
        }
    }

    private async Task WriteAsync(byte[] bytes)
    {
        ThrowIfClosed();
        try
        {
            await _stream.WriteAsync(bytes.AsMemory(), _closing.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            var reason = $"write failed: {ex.Message}";
            Close(reason);
            throw new IOException($"connection to {Endpoint} lost: {reason}", ex);
        }
    }

    private void ThrowIfClosed()
    {
        lock (_sync)
        {
            if (_closeReason is not null)
            {
                throw new IOException($"connection to {Endpoint} closed: {_closeReason}");
            }
        }
    }

    private async Task CloseLaterAsync(TimeSpan after)
    {
        if (await AsyncWait.Delay(after, _closing.Token).ConfigureAwait(false))
        {
            Close(EndReason() ?? "server shutting down");
        }
    }
}
