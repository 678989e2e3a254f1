using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Akkagame.V1;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Protocol.Tests.Client;

/// <summary>
/// A scripted stand-in for a game node on a loopback port: each test drives the server side of
/// the protocol by hand, which pins down the client's side of PROTOCOL.md without a real node.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<FakePeer> _accepted = Channel.CreateUnbounded<FakePeer>();
    private readonly List<FakePeer> _peers = new();
    private readonly Task _acceptLoop;

    public FakeServer()
    {
        _listener.Start();
        Endpoint = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _acceptLoop = AcceptLoopAsync();
    }

    public string Endpoint { get; }

    public int AcceptedCount { get; private set; }

    public async Task<FakePeer> AcceptAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await _accepted.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await Task.WhenAny(_acceptLoop);
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync();
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                _accepted.Writer.TryComplete();
                return;
            }

            var peer = new FakePeer(socket);
            _peers.Add(peer);
            AcceptedCount++;
            await _accepted.Writer.WriteAsync(peer);
        }
    }
}

/// <summary>The server end of one client connection.</summary>
internal sealed class FakePeer : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameDecoder _decoder = new();
    private readonly Queue<byte[]> _frames = new();
    private readonly byte[] _buffer = new byte[4096];

    public FakePeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The next frame from the client, parsed; throws at end of stream or after the patience.</summary>
    public async Task<ClientMessage> ReadAsync()
    {
        var body = await ReadFrameAsync() ?? throw new EndOfStreamException("client closed the connection");
        return ClientMessage.Parser.ParseFrom(body);
    }

    /// <summary>Reads (and drops) frames until the client closes; throws if it does not in time.</summary>
    public async Task<int> FramesUntilClosedAsync()
    {
        var count = 0;
        while (await ReadFrameAsync() is not null)
        {
            count++;
        }

        return count;
    }

    /// <summary>Reads the Hello and answers it with a Welcome; returns the Hello.</summary>
    public async Task<ClientMessage> WelcomeAsync(string playerId, string resumeToken)
    {
        var hello = await ReadAsync();
        await SendAsync(new ServerMessage
        {
            Ack = hello.Seq,
            Welcome = new Welcome { PlayerId = playerId, ResumeToken = resumeToken, SectorId = "s-0-0", TickHz = 20 },
        });
        return hello;
    }

    public Task SendAsync(ServerMessage message) => SendRawAsync(Frame.Encode(message));

    public Task SendRawAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public void Dispose() => _stream.Dispose();

    public void Close() => _socket.Close();

    private async Task<byte[]?> ReadFrameAsync()
    {
        using var cts = new CancellationTokenSource(Patience);
        var chunk = new List<byte[]>();
        while (_frames.Count == 0)
        {
            // Frames before a bad header are handed out first, as a real server would see them.
            if (_decoder.Error != FrameError.None)
            {
                throw new InvalidDataException($"client sent a bad frame length {_decoder.RejectedLength}");
            }

            var read = await _stream.ReadAsync(_buffer, cts.Token);
            if (read == 0)
            {
                return null;
            }

            _decoder.Feed(_buffer.AsSpan(0, read), chunk);
            chunk.ForEach(_frames.Enqueue);
            chunk.Clear();
        }

        return _frames.Dequeue();
    }
}
