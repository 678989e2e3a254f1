using System.Net.Sockets;
using Akkagame.V1;
using AkkaGame.Protocol;
using AkkaGame.Protocol.Framing;
using AkkaGame.Ops.Tests.Support;
using AkkaGame.TestSupport;
using Xunit;

namespace AkkaGame.Ops.Tests;

/// <summary>
/// SIGTERM, as every process supervisor sends it: the node drains fully, however long that
/// takes, and exits 0. (System.CommandLine's own termination handling, on by default, ended the
/// process two seconds into a drain and aborted it when the signal outlived the action.)
/// </summary>
public sealed class SigtermTests
{
    [Fact]
    public async Task Sigterm_drains_a_node_for_as_long_as_its_clients_need_and_it_exits_0()
    {
        // A client that never answers the drain notice keeps its session for close-linger (3 s here).
        var dataDir = TestConfig.NewDataDir();
        var config = Path.Combine(dataDir, "linger.conf");
        Directory.CreateDirectory(dataDir);
        await File.WriteAllTextAsync(config, "akkagame.gateway.close-linger = 3s\n");
        await using var node = ManagedProcess.Start("Node", "AkkaGame.Node.dll", "AkkaGame node ready",
            ["--data-dir", dataDir, "--game-port", "0", "--ops-port", "0", "--http-port", "0", "--ws-port", "0", "--config", config]);
        var ready = await node.WaitReadyAsync(TimeSpan.FromSeconds(60));
        var gamePort = int.Parse(System.Text.RegularExpressions.Regex.Match(ready, @"game clients on [0-9.]+:(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        using var silent = new TcpClient();
        await silent.ConnectAsync("127.0.0.1", gamePort);

        // A TCP connect completes in the kernel's backlog, before the node has a session for it: a
        // SIGTERM right then finds no session to wait for (the connection is refused instead, CI
        // saw a 1.1 s drain). Logging in proves the session exists; the client then goes silent.
        var stream = silent.GetStream();
        await stream.WriteAsync(Frame.Encode(new ClientMessage { Hello = new Hello { ProtocolVersion = ProtocolVersion.Current, GuestName = "silent" } }));
        var first = await ReadFrameAsync(stream, TimeSpan.FromSeconds(15));
        Assert.Equal(ServerMessage.BodyOneofCase.Welcome, first.BodyCase);

        var started = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(await node.TerminateAsync(TimeSpan.FromSeconds(30)), "the node did not exit within 30 s of SIGTERM:\n" + node.Output);

        Assert.Equal(0, node.ExitCode);
        Assert.Contains("AkkaGame node stopped.", node.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", node.Output, StringComparison.Ordinal);
        Assert.True(started.Elapsed > TimeSpan.FromSeconds(2.5), $"the drain took {started.Elapsed.TotalSeconds:0.0} s: the silent client should have held it for close-linger");
    }

    private static async Task<ServerMessage> ReadFrameAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var header = new byte[Frame.HeaderBytes];
        await stream.ReadExactlyAsync(header, cts.Token);
        var body = new byte[System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header)];
        await stream.ReadExactlyAsync(body, cts.Token);
        return ServerMessage.Parser.ParseFrom(body);
    }
}
