using System.Net;
using System.Net.Sockets;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// The listening socket of the async peers: binds on loopback, then hands every accepted socket
/// to <c>serve</c> without waiting for it, until disposed.
/// </summary>
public sealed class AsyncAcceptor : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Func<Socket, Task> _serve;

    public AsyncAcceptor(int port, Func<Socket, Task> serve)
    {
        _serve = serve;
        _listener.Bind(new IPEndPoint(IPAddress.Parse(PeerSettings.Host), port));
        _listener.Listen(1024);
        Accepting = AcceptLoopAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Completes once the listener is closed.</summary>
    public Task Accepting { get; }

    public void Dispose() => _listener.Dispose();

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Disposed: no more connections.
                return;
            }

            _ = _serve(socket);
        }
    }
}
