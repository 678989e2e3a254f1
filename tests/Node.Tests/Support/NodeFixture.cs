using AkkaGame.Node.Hosting;
using AkkaGame.Protocol.Client;
using AkkaGame.TestSupport;
using Xunit;

namespace AkkaGame.Node.Tests.Support;

/// <summary>A real node in this process, on a free port and a fresh SQLite database.</summary>
public abstract class NodeFixture : IAsyncLifetime
{
    public GameNode Node { get; private set; } = null!;

    public string DataDir { get; } = TestConfig.NewDataDir();

    public System.Net.IPEndPoint Endpoint => Node.GameEndpoint;

    public string EndpointText => $"127.0.0.1:{Endpoint.Port}";

    /// <summary>The node's WebSocket gateway (ws://127.0.0.1:PORT/ws).</summary>
    public string WebSocketUrl => Node.WebSockets?.SocketUrl ?? throw new InvalidOperationException("the WebSocket gateway is off: " + Node.WebSocketProblem);

    /// <summary>HOCON layered over the node's own configuration for this fixture.</summary>
    protected abstract string Hocon { get; }

    protected virtual string[] Args => [];

    public async Task InitializeAsync() => Node = await GameNode.StartAsync(TestConfig.Node(DataDir, Hocon, Args));

    public async Task DisposeAsync() => await Node.DisposeAsync();

    public GameClient NewClient(string? guest = "tester", string? token = null, TimeSpan? pingInterval = null, int? receiveBuffer = null, bool predictsMotion = false) => new(new GameClientOptions
    {
        Endpoints = [EndpointText],
        GuestName = token is null ? guest : null,
        Token = token,
        PingInterval = pingInterval ?? TimeSpan.FromSeconds(1),
        AutoReconnect = false,
        ReceiveBufferSize = receiveBuffer,
        PredictsMotion = predictsMotion,
    });

    public string Token(string playerId, string name) => Node.Tokens.MintPlayerToken(playerId, name, TimeSpan.FromHours(1));
}

/// <summary>Fast ships and a short reconnect grace so whole flows run in seconds.</summary>
public sealed class GameFlowNode : NodeFixture, IServerUnderTest
{
    protected override string Hocon => """
        akkagame.world.ship-speed = 4000
        akkagame.sector.reconnect-grace = 3s
        """;

    GameClient IServerUnderTest.NewClient(string? guestName, string? token, bool predictsMotion) => NewClient(guestName, token, predictsMotion: predictsMotion);
}

/// <summary>Short timeouts and a small outbound bound, to provoke every limit quickly.</summary>
public sealed class StrictNode : NodeFixture
{
    protected override string Hocon => """
        akkagame.world.ship-speed = 4000
        akkagame.gateway.hello-timeout = 1s
        akkagame.gateway.idle-timeout = 2s
        akkagame.gateway.close-linger = 1s
        """;
}

/// <summary>A small outbound bound and socket buffers, so a client that stops reading hits the bound in seconds.</summary>
public sealed class SlowConsumerNode : NodeFixture
{
    protected override string Hocon => """
        akkagame.gateway.max-outbound-bytes = 16KiB
        akkagame.gateway.max-write-bytes = 4KiB
        akkagame.gateway.socket-send-buffer = 4096
        # The talker must outpace the victim's reading, not the rate limit.
        akkagame.gateway.max-messages-per-second = 2000
        akkagame.gateway.burst = 2000
        """;
}

/// <summary>
/// A login budget no login can meet: every login is answered SERVER_BUSY. The budget is zero,
/// so it is spent before any Hello is read. (It was 1 ms, which a login can meet when the ask's
/// 1 ms timeout fires late on a busy machine, since timeouts fire on the scheduler's tick: the
/// likely cause of a fresh-clone CI run on 2026-12-02 where the test waited 10 s for an error
/// that never came. Not proven; the same test passed alone four times in a row.)
/// </summary>
public sealed class OverloadedNode : NodeFixture
{
    protected override string Hocon => """
        akkagame.gateway.login-timeout = 0s
        akkagame.gateway.entity-ask-timeout = 1ms
        """;
}

/// <summary>The cluster configuration's rule: no guests.</summary>
public sealed class NoGuestsNode : NodeFixture
{
    protected override string Hocon => "akkagame.world.tick-hz = 20";

    protected override string[] Args => ["--allow-guests", "false"];
}
