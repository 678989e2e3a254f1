using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Akkagame.V1;

namespace AkkaGame.Protocol.Client;

/// <summary>
/// An async client for the AkkaGame protocol (PROTOCOL.md): handshake, keep-alive pings, sending
/// inputs with per-connection seqs, and automatic reconnect with the resume token, so the same
/// player continues when a node drains or a connection drops. Thread-safe; events run on the
/// client's I/O loop and must be quick and must not throw.
/// </summary>
public sealed class GameClient : IAsyncDisposable
{

    private readonly GameClientOptions _options;
    private readonly EndpointAddress[] _endpoints;
    private readonly Inbox _inbox;
    private readonly object _gate = new();

    // Used only by the reconnect loop, and only one runs at a time (guarded by _connecting).
    private readonly Random _jitter = new();

    // Cancelled by Leave, CloseAbruptly and Dispose: ends connect and reconnect attempts.
    private CancellationTokenSource _stop = new();
    private Connection? _connection;
    private bool _connecting;
    private bool _disposed;
    private Task? _reconnectLoop;
    private int _nextEndpoint;
    private Welcome? _welcome;
    private string? _resumeToken;
    private string? _connectedEndpoint;

    /// <summary>Validates the options; connects only on <see cref="ConnectAsync"/>.</summary>
    public GameClient(GameClientOptions options)
    {
        Guard.NotNull(options, nameof(options));
        _options = options;
        if (options.Endpoints is null || options.Endpoints.Count == 0)
        {
            throw new ArgumentException("at least one endpoint is required", nameof(options));
        }

        if (options.MaxFrameBytes < 1)
        {
            throw new ArgumentException("MaxFrameBytes must be at least 1", nameof(options));
        }

        if (options.InboxCapacity < 1)
        {
            throw new ArgumentException("InboxCapacity must be at least 1", nameof(options));
        }

        _inbox = new Inbox(options.InboxCapacity);

        _endpoints = options.Endpoints.Select(EndpointAddress.Parse).ToArray();
        _resumeToken = string.IsNullOrEmpty(options.ResumeToken) ? null : options.ResumeToken;
    }

    /// <summary>Messages the inbox dropped, oldest first, because nobody took them with <see cref="NextAsync"/> in time.</summary>
    public long InboxDropped => _inbox.Dropped;

    /// <summary>Every server message, in order, on the receive loop (Welcome and Error included).</summary>
    public event Action<ServerMessage>? MessageReceived;

    /// <summary>
    /// An automatic reconnect and resume succeeded. Messages of the new connection (its Welcome and
    /// snapshot) may reach <see cref="MessageReceived"/> before this fires.
    /// </summary>
    public event Action<Welcome>? Reconnected;

    /// <summary>
    /// The connection ended (the reason says why), fired before any reconnect attempt; fired again
    /// when automatic reconnecting gives up.
    /// </summary>
    public event Action<string>? Disconnected;

    /// <summary>The latest Welcome: player id, sector, node.</summary>
    public Welcome? Welcome
    {
        get
        {
            lock (_gate)
            {
                return _welcome;
            }
        }
    }

    /// <summary>The resume token from the latest Welcome (or the options' one before any).</summary>
    public string? ResumeToken
    {
        get
        {
            lock (_gate)
            {
                return _resumeToken;
            }
        }
    }

    /// <summary>The "host:port" of the current or last connection.</summary>
    public string? ConnectedEndpoint
    {
        get
        {
            lock (_gate)
            {
                return _connectedEndpoint;
            }
        }
    }

    /// <summary>True while a welcomed connection is open.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connection is { IsClosed: false };
            }
        }
    }

    /// <summary>
    /// Connects to the first reachable endpoint (in order, starting after the last one used) and
    /// logs in. Throws <see cref="GameErrorException"/> when the server answers the Hello with an
    /// Error, <see cref="TimeoutException"/> when one attempt exceeds the connect timeout, and the
    /// last endpoint's error when none is reachable. Re-enables automatic reconnect.
    /// </summary>
    public async Task<Welcome> ConnectAsync(CancellationToken ct = default)
    {
        CancellationToken stop;
        lock (_gate)
        {
            ThrowIfDisposed();
            if (_connection is { IsClosed: false })
            {
                throw new InvalidOperationException("already connected");
            }

            if (_connecting)
            {
                throw new InvalidOperationException("a connect or reconnect is already running");
            }

            _connecting = true;
            if (_stop.IsCancellationRequested)
            {
                // The old source is not disposed: a racing StopReconnecting may still cancel it, and
                // a source without timers holds nothing that needs disposal.
                _stop = new CancellationTokenSource();
            }

            stop = _stop.Token;
        }

        var established = false;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stop);
            Exception? last = null;
            for (var i = 0; i < _endpoints.Length; i++)
            {
                try
                {
                    var welcome = await ConnectOnceAsync(TakeEndpointIndex(), linked.Token).ConfigureAwait(false);
                    established = true;
                    return welcome;
                }
                catch (Exception ex) when (IsTransient(ex) && !linked.IsCancellationRequested)
                {
                    last = ex;
                }
            }

            ExceptionDispatchInfo.Capture(last!).Throw();
            throw last!;
        }
        finally
        {
            if (!established)
            {
                lock (_gate)
                {
                    _connecting = false;
                }
            }
        }
    }

    /// <summary>Flies the ship toward (x, y). Returns the seq used.</summary>
    public Task<uint> SendMoveToAsync(float x, float y) =>
        SendAsync(new ClientMessage { MoveTo = new MoveTo { X = x, Y = y } });

    /// <summary>Says a line in the current sector. Returns the seq used.</summary>
    public Task<uint> SendChatAsync(string text) =>
        SendAsync(new ClientMessage { Chat = new Chat { Text = text ?? string.Empty } });

    /// <summary>Mines an asteroid within range. Returns the seq used.</summary>
    public Task<uint> SendMineAsync(string asteroidId) =>
        SendAsync(new ClientMessage { Mine = new Mine { AsteroidId = asteroidId ?? string.Empty } });

    /// <summary>Jumps through a gate within range (gate id = destination sector). Returns the seq used.</summary>
    public Task<uint> SendJumpAsync(string gateId) =>
        SendAsync(new ClientMessage { Jump = new Jump { GateId = gateId ?? string.Empty } });

    /// <summary>Sends a Ping stamped with the local time. Returns the seq used.</summary>
    public Task<uint> SendPingAsync() => SendAsync(NewPing());

    /// <summary>Leaves the game for good: no automatic reconnect after it. Returns the seq used.</summary>
    public Task<uint> SendLeaveAsync()
    {
        StopReconnecting();
        return SendAsync(new ClientMessage { Leave = new Leave() });
    }

    /// <summary>
    /// Sends any message, giving it the connection's next seq when its Seq is 0. Throws
    /// <see cref="InvalidOperationException"/> when not connected, <see cref="IOException"/> when
    /// the write fails (the connection is then dropped).
    /// </summary>
    public Task<uint> SendAsync(ClientMessage message)
    {
        Guard.NotNull(message, nameof(message));

        return Current().SendAsync(message, null);
    }

    /// <summary>Writes bytes as-is, with no framing: for tests of garbage and bad lengths (test assemblies only).</summary>
    internal Task SendRawFrameAsync(byte[] bytes)
    {
        Guard.NotNull(bytes, nameof(bytes));

        return Current().SendRawAsync(bytes);
    }

    /// <summary>
    /// Sends <paramref name="message"/> and returns the first server message whose ack is its seq.
    /// The wait is registered before the write, so a fast answer cannot be missed. Throws
    /// <see cref="TimeoutException"/>, or <see cref="IOException"/> if the connection drops first.
    /// </summary>
    public async Task<ServerMessage> RequestAsync(ClientMessage message, TimeSpan timeout)
    {
        Guard.NotNull(message, nameof(message));

        var connection = Current();
        var reply = new TaskCompletionSource<ServerMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        var seq = await connection.SendAsync(message, reply).ConfigureAwait(false);
        try
        {
            return await AsyncWait.WithTimeout(reply.Task, timeout, $"a reply to seq {seq}").ConfigureAwait(false);
        }
        finally
        {
            connection.ForgetReply(seq, reply);
        }
    }

    /// <summary>
    /// Returns the next inbox message matching <paramref name="predicate"/>, discarding the ones
    /// before it; <see cref="TimeoutException"/> when none comes in time. Needs
    /// <see cref="GameClientOptions.KeepInbox"/>. Survives reconnects: the inbox spans connections.
    /// </summary>
    public Task<ServerMessage> NextAsync(Func<ServerMessage, bool> predicate, TimeSpan timeout)
    {
        Guard.NotNull(predicate, nameof(predicate));

        if (!_options.KeepInbox)
        {
            throw new InvalidOperationException("NextAsync needs GameClientOptions.KeepInbox");
        }

        return _inbox.NextAsync(predicate, timeout);
    }

    /// <summary>
    /// Stops reading the current connection until <see cref="ResumeReceiving"/> (or its end), so
    /// the server's output backs up, with <see cref="GameClientOptions.ReceiveBufferSize"/> kept
    /// small: how tests play a slow consumer. Writes and pings go on. A read already under way
    /// still completes (at most 16 KiB), but what it brought is delivered only after resuming.
    /// </summary>
    internal void PauseReceiving() => Current().SetReceivePaused(true);

    /// <summary>Resumes reading after <see cref="PauseReceiving"/>.</summary>
    internal void ResumeReceiving() => Current().SetReceivePaused(false);

    /// <summary>
    /// Drops the TCP connection without a Leave, as a crash or network loss would, and does not
    /// reconnect: the server keeps the ship for its grace period, resumable with <see cref="ResumeToken"/>.
    /// </summary>
    public async Task CloseAbruptlyAsync()
    {
        StopReconnecting();
        Task? reconnectLoop;
        lock (_gate)
        {
            reconnectLoop = _reconnectLoop;
        }

        await AsyncWait.Settle(reconnectLoop).ConfigureAwait(false);

        // Read after the reconnect loop ended: it may have just established a connection.
        Connection? connection;
        lock (_gate)
        {
            connection = _connection;
        }

        await CloseAsync(connection, "closed abruptly by the client").ConfigureAwait(false);
    }

    /// <summary>Closes the connection (without Leave), stops reconnecting and ends pending waits.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await CloseAbruptlyAsync().ConfigureAwait(false);
        _inbox.Close();
    }

    private static bool IsTransient(Exception ex) =>
        ex is SocketException or IOException or TimeoutException or GameErrorException { Error.Fatal: false };

    /// <summary>Errors after which logging in again cannot succeed (or would fight another session).</summary>
    private static bool ForbidsReconnect(ErrorCode code) => code
        is ErrorCode.SessionReplaced
        or ErrorCode.AuthFailed
        or ErrorCode.NotAuthenticated
        or ErrorCode.UnsupportedVersion;

    private static ClientMessage NewPing() =>
        new() { Ping = new Ping { ClientTimeUs = AsyncWait.UnixTimeMicroseconds() } };

    private static async Task CloseAsync(Connection? connection, string reason)
    {
        if (connection is not null)
        {
            connection.Close(reason);
            await AsyncWait.Settle(connection.ReceiveLoop).ConfigureAwait(false);
            await AsyncWait.Settle(connection.PingLoop).ConfigureAwait(false);
            connection.Dispose();
        }
    }

    private async Task<Welcome> ConnectOnceAsync(int endpointIndex, CancellationToken ct)
    {
        var endpoint = _endpoints[endpointIndex];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.ConnectTimeout);
        Connection connection;
        try
        {
            connection = await Connection.OpenAsync(endpoint, _options, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"connecting to {endpoint} took over {_options.ConnectTimeout.TotalMilliseconds:0} ms");
        }

        connection.Start(OnMessage, OnClosed);
        try
        {
            await connection.SendAsync(new ClientMessage { Hello = NewHello() }, null).ConfigureAwait(false);
            ServerMessage answer;
            try
            {
                answer = await AsyncWait.WithCancellation(connection.Handshake, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"no Welcome from {endpoint} within {_options.ConnectTimeout.TotalMilliseconds:0} ms");
            }

            if (answer.BodyCase == ServerMessage.BodyOneofCase.Error)
            {
                throw new GameErrorException(answer.Error);
            }

            lock (_gate)
            {
                // Checked under the lock that OnClosed takes, so a close either sees the connection
                // established (and handles the loss) or this sees it closed (and fails the attempt).
                ct.ThrowIfCancellationRequested();
                if (connection.IsClosed)
                {
                    throw new IOException($"connection to {endpoint} closed right after its Welcome");
                }

                connection.Established = true;
                _connection = connection;
                _connecting = false;
                _welcome = answer.Welcome;
                if (!string.IsNullOrEmpty(answer.Welcome.ResumeToken))
                {
                    _resumeToken = answer.Welcome.ResumeToken;
                }

                _connectedEndpoint = endpoint.Text;
                _nextEndpoint = (endpointIndex + 1) % _endpoints.Length;
            }

            if (_options.PingInterval > TimeSpan.Zero)
            {
                connection.PingLoop = PingLoopAsync(connection);
            }

            return answer.Welcome;
        }
        catch (Exception)
        {
            await CloseAsync(connection, "handshake failed").ConfigureAwait(false);
            throw;
        }
    }

    private Hello NewHello()
    {
        var hello = new Hello { ProtocolVersion = AkkaGame.Protocol.ProtocolVersion.Current, PredictsMotion = _options.PredictsMotion };
        var resume = ResumeToken;
        if (resume is not null)
        {
            hello.ResumeToken = resume;
        }

        // The token rides along with a resume token: per PROTOCOL.md the server falls back to it
        // when the resume token has expired, and it names the same player.
        if (!string.IsNullOrEmpty(_options.Token))
        {
            hello.Token = _options.Token;
        }
        else if (resume is null && !string.IsNullOrEmpty(_options.GuestName))
        {
            // Not with a resume token: an expired one would silently make a new guest player.
            hello.GuestName = _options.GuestName;
        }

        return hello;
    }

    private void OnMessage(Connection connection, ServerMessage message)
    {
        switch (message.BodyCase)
        {
            case ServerMessage.BodyOneofCase.Error when message.Error.Fatal:
                connection.ExpectEnd(
                    $"fatal error {message.Error.Code}: {message.Error.Message}",
                    mayReconnect: !ForbidsReconnect(message.Error.Code));
                break;
            case ServerMessage.BodyOneofCase.Notice when message.Notice.Kind == NoticeKind.Goodbye:
                connection.ExpectEnd("goodbye: the server ended the session", mayReconnect: false);
                break;
            case ServerMessage.BodyOneofCase.Notice when message.Notice.Kind == NoticeKind.ShuttingDownNotice:
                connection.ExpectEnd("server shutting down", mayReconnect: true);
                connection.ReconnectAfter(TimeSpan.FromMilliseconds(message.Notice.ReconnectAfterMs));
                break;
            default:
                break;
        }

        // Inbox first: whoever a reply wakes (ConnectAsync, RequestAsync) finds it already queued.
        if (_options.KeepInbox)
        {
            _inbox.Add(message);
        }

        connection.Dispatch(message);
        MessageReceived?.Invoke(message);
    }

    private void OnClosed(Connection connection, string reason)
    {
        bool reconnect;
        lock (_gate)
        {
            if (!connection.Established || _connection != connection)
            {
                return;
            }

            _connection = null;
            if (_disposed)
            {
                return;
            }

            reconnect = _options.AutoReconnect
                && connection.MayReconnect
                && !_stop.IsCancellationRequested
                && !_connecting;
            if (reconnect)
            {
                _connecting = true;
            }
        }

        Disconnected?.Invoke(reason);
        if (reconnect)
        {
            var firstDelay = connection.RemainingReconnectWait() ?? _options.ReconnectDelay;
            lock (_gate)
            {
                var stop = _stop.Token;
                _reconnectLoop = Task.Run(() => ReconnectLoopAsync(firstDelay, stop));
            }
        }
    }

    private async Task ReconnectLoopAsync(TimeSpan firstDelay, CancellationToken stop)
    {
        var established = false;
        string? giveUpReason = null;
        try
        {
            var backoff = new ReconnectBackoff(_options.ReconnectDelay, firstDelay, _endpoints.Length, _jitter);
            var lastFailure = "no attempt was made";
            for (var attempt = 1; attempt <= _options.MaxReconnectAttempts; attempt++)
            {
                if (!await AsyncWait.Delay(backoff.NextWait(), stop).ConfigureAwait(false))
                {
                    return;
                }

                Welcome? welcome = null;
                try
                {
                    welcome = await ConnectOnceAsync(TakeEndpointIndex(), stop).ConfigureAwait(false);
                    established = true;
                }
                catch (GameErrorException ex) when (ForbidsReconnect(ex.Error.Code))
                {
                    giveUpReason = $"reconnect refused: {ex.Error.Code}: {ex.Error.Message}";
                    return;
                }
                catch (GameErrorException ex) when (ex.Error.Code == ErrorCode.ServerBusy && !stop.IsCancellationRequested)
                {
                    lastFailure = ex.Message;
                    backoff.ServerBusy();
                    continue;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused && !stop.IsCancellationRequested)
                {
                    lastFailure = ex.Message;
                    backoff.Refused();
                    continue;
                }
                catch (Exception ex) when ((IsTransient(ex) || ex is GameErrorException) && !stop.IsCancellationRequested)
                {
                    lastFailure = ex.Message;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }

                if (welcome is not null)
                {
                    Reconnected?.Invoke(welcome);
                    return;
                }

                backoff.Failed();
            }

            giveUpReason = $"gave up after {_options.MaxReconnectAttempts} reconnect attempts: {lastFailure}";
        }
        finally
        {
            bool report;
            lock (_gate)
            {
                if (!established)
                {
                    _connecting = false;
                }

                report = giveUpReason is not null && !_disposed;
            }

            if (report)
            {
                Disconnected?.Invoke(giveUpReason!);
            }
        }
    }

    private async Task PingLoopAsync(Connection connection)
    {
        var silence = _options.ServerSilenceTimeout ?? _options.PingInterval * 3;
        while (await AsyncWait.Delay(_options.PingInterval, connection.Closing).ConfigureAwait(false))
        {
            // Stopwatch.GetElapsedTime is not in netstandard2.1 (Unity).
            var silent = TimeSpan.FromSeconds((double)(Stopwatch.GetTimestamp() - connection.LastReceived) / Stopwatch.Frequency);
            if (silence > TimeSpan.Zero && silent > silence)
            {
                // The receive loop sees the close, reports the loss and reconnects.
                connection.Close($"the server sent nothing for {silent.TotalSeconds:0.0} s");
                return;
            }

            try
            {
                await connection.SendAsync(NewPing(), null).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The receive loop reports the loss and reconnects; pinging a dead connection is moot.
                return;
            }
        }
    }

    private Connection Current()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return _connection is { IsClosed: false } connection
                ? connection
                : throw new InvalidOperationException("not connected");
        }
    }

    private int TakeEndpointIndex()
    {
        lock (_gate)
        {
            var index = _nextEndpoint;
            _nextEndpoint = (index + 1) % _endpoints.Length;
            return index;
        }
    }

    /// <summary>Ends any reconnecting for good (until the next ConnectAsync).</summary>
    private void StopReconnecting()
    {
        CancellationTokenSource stop;
        lock (_gate)
        {
            stop = _stop;
        }

        // Cancelled outside the lock: registrations (socket disposal) run synchronously.
        stop.Cancel();
    }

    private void ThrowIfDisposed()
    {
        Guard.NotDisposed(_disposed, this);
    }
}
