using System.Globalization;

namespace AkkaGame.Node.Tests.Support;

/// <summary>
/// The kernel's view of this machine's TCP sockets (/proc/net/tcp and tcp6): the server's own
/// side of a connection, which a client cannot see once it stops reading.
/// </summary>
public static class TcpTable
{
    private const string Established = "01";
    private static readonly string[] Tables = ["/proc/net/tcp", "/proc/net/tcp6"];

    /// <summary>How many sockets with local port <paramref name="serverPort"/> are ESTABLISHED to one of <paramref name="clientPorts"/>.</summary>
    public static int EstablishedTo(int serverPort, IReadOnlySet<int> clientPorts)
    {
        var count = 0;
        foreach (var file in Tables.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                // sl local_address rem_address st ...; addresses are HEXIP:HEXPORT
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 3 && fields[3] == Established && Port(fields[1]) == serverPort && clientPorts.Contains(Port(fields[2])))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static int Port(string address) => int.Parse(address[(address.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
