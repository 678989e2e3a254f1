using System.Net.WebSockets;
using Akkagame.V1;
using Google.Protobuf;

namespace AkkaGame.Node.Tests.Support;

/// <summary>
/// A bare WebSocket speaking the protocol as a browser would (one binary message per frame, no
/// length prefix), for tests that must also send what the JavaScript client never would: text
/// messages, empty or oversized ones, garbage.
/// </summary>
public sealed class WsConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly byte[] _buffer = new byte[64 * 1024];

    private WsConnection(ClientWebSocket socket) => _socket = socket;

    public WebSocketState State => _socket.State;

    public static async Task<WsConnection> ConnectAsync(string url)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri(url), CancellationToken.None);
        return new WsConnection(socket);
    }

    public Task SendAsync(ClientMessage message) => SendBytesAsync(message.ToByteArray());

    /// <summary>One message of exactly these bytes.</summary>
    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, type, true, CancellationToken.None);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Pings every interval until cancelled, so the connection is not idle while the test reads nothing.</summary>
    public async Task KeepAliveAsync(TimeSpan interval, CancellationToken cancel)
    {
        uint seq = 100_000;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel))
            {
                await SendAsync(ClientMessages.Ping(seq++));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Stopped by the test, or the server closed: the test's own reads report that.
        }
    }

    public async Task<(Welcome Welcome, SectorSnapshot Snapshot)> LoginAsGuestAsync(string name = "ws")
    {
        await SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, GuestName = name } });
        var welcome = await ReadAsync(m => m.Welcome is not null);
        var snapshot = await ReadAsync(m => m.Snapshot is not null);
        return (welcome.Welcome, snapshot.Snapshot);
    }

    /// <summary>The next server message matching the predicate (others are skipped); null when the server closed first.</summary>
    public async Task<ServerMessage?> TryReadAsync(Func<ServerMessage, bool> predicate, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult part;
            do
            {
                try
                {
                    part = await _socket.ReceiveAsync(_buffer, cts.Token);
                }
                catch (WebSocketException)
                {
                    return null;
                }

                if (part.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                if (part.MessageType != WebSocketMessageType.Binary)
                {
                    throw new InvalidDataException("the server sent a text message");
                }

                message.Write(_buffer, 0, part.Count);
            }
            while (!part.EndOfMessage);

            var parsed = ServerMessage.Parser.ParseFrom(message.ToArray());
            if (predicate(parsed))
            {
                return parsed;
            }
        }
    }

    public async Task<ServerMessage> ReadAsync(Func<ServerMessage, bool> predicate, TimeSpan? timeout = null) =>
        await TryReadAsync(predicate, timeout) ?? throw new IOException("the server closed the WebSocket");

    /// <summary>Reads until the error arrives, checks it, then checks that the server closes.</summary>
    public async Task<Error> ExpectFatalAsync(ErrorCode code, TimeSpan? timeout = null)
    {
        var error = (await ReadAsync(m => m.Error is not null, timeout)).Error;
        if (error.Code != code || !error.Fatal)
        {
            throw new InvalidOperationException($"expected fatal {code}, got {(error.Fatal ? "fatal" : "non-fatal")} {error.Code}: {error.Message}");
        }

        await ExpectClosedAsync();
        return error;
    }

    public async Task ExpectClosedAsync(TimeSpan? timeout = null)
    {
        if (await TryReadAsync(_ => false, timeout ?? TimeSpan.FromSeconds(10)) is not null)
        {
            throw new InvalidOperationException("unreachable: predicate accepts nothing");
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
