using System.Net.Sockets;
using Akka.IO;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// Disables Nagle's algorithm on accepted sockets: Akka.IO 1.5 has no such option of its own,
/// and a game's small frames must not wait up to 40 ms for an ack.
/// </summary>
public sealed class TcpNoDelayOption : Inet.SocketOption
{
    public override void AfterConnect(Socket s)
    {
        ArgumentNullException.ThrowIfNull(s);
        s.NoDelay = true;
    }
}
