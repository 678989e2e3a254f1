using System.Net.WebSockets;
using Akkagame.V1;
using Google.Protobuf;

namespace AkkaGame.Node.Tests.Support;

/// <summary>
/// A bare WebSocket speaking the protocol as a browser would (one binary message per frame, no
/// length prefix), for tests that must also send what the JavaScript client never would: text
/// messages, empty or oversized ones, garbage.
/// </summary>
public sealed class WsConnection : ProtocolConnection
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

    public override Task SendAsync(ClientMessage message) => SendBytesAsync(message.ToByteArray());

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

    /// <summary>The next server message matching the predicate (others are skipped); null when the server closed first.</summary>
    public override async Task<ServerMessage?> TryReadAsync(Func<ServerMessage, bool> predicate, TimeSpan? timeout = null)
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

    protected override bool IsGone(Exception e) => e is WebSocketException or ObjectDisposedException;

    public override ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }
}
