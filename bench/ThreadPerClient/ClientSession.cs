using AkkaGame.Game.Sessions;
using System.Net.Sockets;
using System.Security.Cryptography;
using AkkaGame.Bench.PeerCommon;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Bench.ThreadPerClient;

/// <summary>
/// One client on its own OS thread: blocking reads, each input applied under the world's global
/// lock, blocking writes. Writes from any thread (this one, the ticker, another client's chat)
/// go straight to the socket under a per-client write lock, one syscall per frame; a client that
/// stops reading blocks its writer (and the global lock with it) for up to the send timeout,
/// then its socket is dropped. That is the naive design, kept as it is on purpose.
/// </summary>
internal sealed class ClientSession : IFrameSink, IPeerSession, IDisposable
{
    private const int ReadBufferBytes = 16 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly World _world;
    private readonly SessionGate _gate;
    private readonly Lock _writeLock = new();
    private int _closing;

    public ClientSession(Socket socket, World world)
    {
        _socket = socket;
        _world = world;
        _gate = new SessionGate(world.Settings.Session, world.Tokens, Environment.TickCount64);
        socket.NoDelay = true;

        // The kernel's send buffer is this client's outbound queue: bounded like the node's, and a
        // write that cannot finish within the linger (the client is not reading) drops the client.
        socket.SendBufferSize = world.Settings.MaxOutboundBytes;
        socket.SendTimeout = (int)world.Settings.CloseLinger.TotalMilliseconds;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public string ConnectionId { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    // Read and written only under the world's lock.
    public string PlayerId { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public bool PredictsMotion { get; set; }

    public string SectorId { get; set; } = string.Empty;

    public bool Left { get; set; }

    /// <summary>The thread body: read frames until the client goes, then leave the world.</summary>
    public void Run()
    {
        var decoder = new FrameDecoder(_world.Settings.Session.MaxFrameBytes);
        var frames = new List<byte[]>();
        var buffer = new byte[ReadBufferBytes];
        try
        {
            int n;
            while ((n = _stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (Volatile.Read(ref _closing) != 0)
                {
                    // Lingering after a last frame: input is no longer served.
                    continue;
                }

                var valid = decoder.Feed(buffer.AsSpan(0, n), frames);
                foreach (var frame in frames)
                {
                    Handle(frame);
                }

                frames.Clear();
                if (!valid && _gate.BadLength(decoder.RejectedLength).Frame is { } fatal)
                {
                    CloseWith(fatal);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Reset by the client, or dropped by a linger or a failed write: the connection is over.
            Volatile.Write(ref _closing, 1);
        }
        finally
        {
            lock (_world.Sync)
            {
                if (PlayerId.Length > 0 && !Left)
                {
                    _world.Disconnect(this);
                }
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    public void Attach(PlayerView player)
    {
        PlayerId = player.PlayerId;
        Name = player.Name;
        SectorId = player.SectorId;
    }

    /// <summary>Writes a frame now, blocking; a failed or timed-out write drops the client.</summary>
    public void Deliver(byte[] frame)
    {
        if (Volatile.Read(ref _closing) != 0)
        {
            return;
        }

        lock (_writeLock)
        {
            try
            {
                _stream.Write(frame);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // A slow consumer (send timeout) or a dead socket: SLOW_CONSUMER cannot be sent
                // through a full buffer, so the socket is dropped (PROTOCOL.md: best effort).
                Volatile.Write(ref _closing, 1);
                Drop();
            }
        }
    }

    /// <summary>Writes a last frame, half-closes, and drops the socket after the close linger. Any thread.</summary>
    public void CloseWith(byte[] lastFrame)
    {
        _gate.Close();
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        lock (_writeLock)
        {
            try
            {
                _stream.Write(lastFrame);
                _socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                Drop();
                return;
            }
        }

        _ = DropAfterLingerAsync();
    }

    public void CheckTimeouts(long nowMs)
    {
        if (_gate.CheckTimeouts(nowMs) is { } fatal)
        {
            CloseWith(fatal);
        }
    }

    public void ShutDown() => CloseWith(Replies.ShuttingDown(_world.Settings.ReconnectAfterMs));

    private void Handle(byte[] frame)
    {
        var result = _gate.Accept(frame, Environment.TickCount64);
        switch (result.Action)
        {
            case GateAction.Reply:
                Deliver(result.Frame!);
                break;
            case GateAction.Fatal:
                CloseWith(result.Frame!);
                break;
            case GateAction.Login:
                var resumeToken = _gate.MintResumeToken(result.Identity!);
                lock (_world.Sync)
                {
                    _world.Login(this, result.Seq, result.Identity!, resumeToken);
                }

                break;
            case GateAction.Input:
                lock (_world.Sync)
                {
                    _world.Apply(this, result.Seq, result.Message!, result.Frame);
                }

                break;
        }
    }

    private async Task DropAfterLingerAsync()
    {
        await Task.Delay(_world.Settings.CloseLinger);
        Drop();
    }

    /// <summary>Ends the connection; the shutdown wakes this client's thread if it is blocked in a read.</summary>
    private void Drop()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already shut down or closed: the reader is awake or gone, which is all this wanted.
            Volatile.Write(ref _closing, 1);
        }

        _socket.Dispose();
    }
}
