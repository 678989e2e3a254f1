using System.Net;
using System.Net.Sockets;
using Akkagame.V1;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;

namespace AkkaGame.Node.Tests.Support;

/// <summary>
/// A bare TCP connection speaking frames, for tests that must send what GameClient never would
/// (garbage, bad lengths, no Hello) and observe exactly what the server answers and when it closes.
/// </summary>
public sealed class RawConnection : ProtocolConnection
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly FrameDecoder _decoder = new(1 << 20);
    private readonly Queue<byte[]> _frames = new();
    private readonly byte[] _buffer = new byte[64 * 1024];

    private RawConnection(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public static async Task<RawConnection> ConnectAsync(IPEndPoint endpoint, int? receiveBufferSize = null)
    {
        var tcp = new TcpClient { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            tcp.ReceiveBufferSize = size;
        }

        await tcp.ConnectAsync(endpoint);
        return new RawConnection(tcp);
    }

    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public override Task SendAsync(ClientMessage message) => SendBytesAsync(Frame.Encode(message));

    /// <summary>This connection's own port: the remote port of the server's socket for it.</summary>
    public int LocalPort => ((IPEndPoint)_tcp.Client.LocalEndPoint!).Port;

    public async Task SendBytesAsync(byte[] bytes, CancellationToken cancel = default)
    {
        await _writeLock.WaitAsync(cancel);
        try
        {
            await _stream.WriteAsync(bytes, cancel);
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
            while (_frames.Count > 0)
            {
                var message = ServerMessage.Parser.ParseFrom(_frames.Dequeue());
                if (predicate(message))
                {
                    return message;
                }
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer, cts.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            var bodies = new List<byte[]>();
            if (!_decoder.Feed(_buffer.AsSpan(0, read), bodies))
            {
                throw new InvalidDataException("the server sent an invalid frame");
            }

            foreach (var body in bodies)
            {
                _frames.Enqueue(body);
            }
        }
    }

    protected override bool IsGone(Exception e) => e is IOException or ObjectDisposedException;

    public override async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
        _writeLock.Dispose();
    }
}

public static class ClientMessages
{
    public static ClientMessage Ping(uint seq) => new() { Seq = seq, Ping = new Ping { ClientTimeUs = seq } };

    public static byte[] Bytes(this ClientMessage message) => message.ToByteArray();
}
