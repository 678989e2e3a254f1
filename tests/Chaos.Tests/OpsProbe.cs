using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// Asks a node's operator endpoint one command (newline-delimited JSON, as akkagame-ops does)
/// and returns the reply's data. The harness uses it to see cluster membership as operators do.
/// </summary>
public static class OpsProbe
{
    public static async Task<JsonElement> AskAsync(int port, TimeSpan timeout, params string[] args)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, cts.Token);
        await using var stream = tcp.GetStream();
        var request = JsonSerializer.Serialize(new { id = 1, args, json = true }) + "\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request), cts.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var line = await reader.ReadLineAsync(cts.Token) ?? throw new IOException("the endpoint closed without a reply");
        using var reply = JsonDocument.Parse(line);
        if (!reply.RootElement.TryGetProperty("ok", out var ok) || !ok.GetBoolean())
        {
            throw new InvalidOperationException("ops error: " + line);
        }

        return reply.RootElement.GetProperty("data").Clone();
    }

    /// <summary>Members as one node sees them: address, status and reachability.</summary>
    public static async Task<IReadOnlyList<(string Address, string Status, bool Reachable)>> MembersAsync(int port, TimeSpan timeout)
    {
        var data = await AskAsync(port, timeout, "cluster", "show");
        return data.GetProperty("members").EnumerateArray()
            .Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!, m.GetProperty("reachable").GetBoolean()))
            .ToList();
    }

    /// <summary>Running sectors as one node lists them (<c>game sectors</c>): id, hosting node's address, connected players.</summary>
    public static async Task<IReadOnlyList<(string Sector, string Node, int Players)>> SectorsAsync(int port, TimeSpan timeout)
    {
        var data = await AskAsync(port, timeout, "game", "sectors");
        return data.GetProperty("sectors").EnumerateArray()
            .Select(s => (s.GetProperty("sector").GetString()!, s.GetProperty("node").GetString()!, s.GetProperty("players").GetInt32()))
            .ToList();
    }
}
