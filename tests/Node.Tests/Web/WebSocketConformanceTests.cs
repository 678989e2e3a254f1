using System.Net.WebSockets;
using Akkagame.V1;
using AkkaGame.Node.Tests.Integration;
using AkkaGame.Node.Tests.Support;
using AkkaGame.TestSupport;
using Google.Protobuf;
using Xunit;

namespace AkkaGame.Node.Tests.Web;

/// <summary>
/// The protocol's bad-input rules (PROTOCOL.md) for WebSocket clients: the same tests as over TCP
/// (<see cref="BadInputContract"/>), each while a bystander plays over WebSocket and proves it was
/// not hurt. A WebSocket message is one frame, so what TCP says about length headers applies to
/// message sizes. Then what only WebSocket has: text messages, and browsers beside TCP players.
/// </summary>
public sealed class WebSocketConformanceTests(StrictNode fixture) : BadInputContract(fixture), IClassFixture<StrictNode>
{
    protected override async Task<ProtocolConnection> Connect() => await WsConnection.ConnectAsync(Fixture.WebSocketUrl);

    /// <summary>One message each, back to back.</summary>
    protected override async Task SendAtOnceAsync(ProtocolConnection c, IEnumerable<ClientMessage> messages)
    {
        foreach (var message in messages)
        {
            await c.SendAsync(message);
        }
    }

    protected override Task SendFrameBodyAsync(ProtocolConnection c, byte[] body) => ((WsConnection)c).SendBytesAsync(body);

    /// <summary>A real message one byte over the limit: refused as soon as it passes it.</summary>
    protected override Task SendOversizedAsync(ProtocolConnection c, int limit) => ((WsConnection)c).SendBytesAsync(new byte[limit + 1]);

    [Fact]
    public async Task A_browser_plays_the_same_game_as_a_TCP_client_and_they_see_each_other()
    {
        await using var browser = await WsConnection.ConnectAsync(Fixture.WebSocketUrl);
        var (welcome, snapshot) = await browser.LoginAsGuestAsync("browser");
        Assert.StartsWith("guest-", welcome.PlayerId, StringComparison.Ordinal);
        Assert.Equal(welcome.SectorId, snapshot.SectorId);

        // A TCP client in the same sector sees the browser's ship move, and its chat line.
        await using var tcp = await RawConnection.ConnectAsync(Fixture.Endpoint);
        await tcp.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = Fixture.Node.Tokens.MintPlayerToken(ClientSteps.PlayerInSector(welcome.SectorId), "Tcp", TimeSpan.FromHours(1)) } });
        await tcp.ReadAsync(m => m.Snapshot?.SectorId == welcome.SectorId, Wait);
        await browser.SendAsync(new ClientMessage { Seq = 5, MoveTo = new MoveTo { X = 300, Y = 400 } });
        await tcp.ReadAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == welcome.PlayerId && s.LastInputSeq == 5) == true, Wait);
        await browser.SendAsync(new ClientMessage { Seq = 6, Chat = new Chat { Text = "hello from a browser" } });
        Assert.Equal("hello from a browser", (await browser.ReadAsync(m => m.Chat is not null && m.Ack == 6, Wait)).Chat.Text);
        Assert.Equal(welcome.PlayerId, (await tcp.ReadAsync(m => m.Chat is not null, Wait)).Chat.FromPlayerId);

        // Resume over WebSocket: the same player, from the resume token.
        await browser.DisposeAsync();
        await using var again = await WsConnection.ConnectAsync(Fixture.WebSocketUrl);
        await again.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, ResumeToken = welcome.ResumeToken } });
        Assert.Equal(welcome.PlayerId, (await again.ReadAsync(m => m.Welcome is not null, Wait)).Welcome.PlayerId);
    }

    [Fact]
    public Task A_text_message_is_malformed() => WithBystander(async () =>
    {
        await using var c = await WsConnection.ConnectAsync(Fixture.WebSocketUrl);
        await c.LoginAsGuestAsync();
        await c.SendBytesAsync("{\"moveTo\":{\"x\":1,\"y\":2}}"u8.ToArray(), WebSocketMessageType.Text);
        await c.ExpectFatalAsync(ErrorCode.Malformed);
    });
}

/// <summary>A browser that stops reading is cut off like a TCP client (PROTOCOL.md Behaviour 12), and the others play on.</summary>
public sealed class WebSocketSlowConsumerTests(SlowConsumerNode fixture) : IClassFixture<SlowConsumerNode>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Browsers_that_stop_reading_are_aborted()
    {
        var metrics = Monitoring.NodeMetrics.Get(fixture.Node.System).Gateway;
        long SlowConsumers() => metrics.FatalByCode().Where(e => e.Code == ErrorCode.SlowConsumer).Sum(e => e.Count);
        var before = SlowConsumers();

        // The probe only finds a sector, then hangs up: a probe left connected and unread would be
        // a fifth slow consumer, cut off in a race with the count below (a CI run saw 5 for 4).
        string sector;
        await using (var probe = await WsConnection.ConnectAsync(fixture.WebSocketUrl))
        {
            sector = (await probe.LoginAsGuestAsync("probe")).Welcome.SectorId;
        }

        var victims = new List<WsConnection>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var victim = await WsConnection.ConnectAsync(fixture.WebSocketUrl);
                await victim.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = fixture.Node.Tokens.MintPlayerToken(ClientSteps.PlayerInSector(sector), "Victim", TimeSpan.FromHours(1)) } });
                await victim.ReadAsync(m => m.Snapshot is not null, Wait);
                _ = victim.KeepAliveAsync(TimeSpan.FromMilliseconds(500), stop.Token);
                victims.Add(victim);
            }

            // The talker (TCP, reading everything) chats until every victim was cut off, bounded.
            var (talker, _, _) = await Talker.ChatUntilAsync(fixture, sector, () => SlowConsumers() >= before + victims.Count, TimeSpan.FromSeconds(60));
            await using var talking = talker;

            Assert.Equal(before + victims.Count, SlowConsumers());

            // The talker was not hurt.
            await talker.SendAsync(ClientMessages.Ping(2));
            await talker.ReadAsync(m => m.Pong is not null && m.Ack == 2, Wait);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var victim in victims)
            {
                await victim.DisposeAsync();
            }
        }
    }
}

/// <summary>A drain reaches browsers as it reaches TCP clients: the notice, then the close.</summary>
public sealed class WebSocketDrainTests : IAsyncLifetime
{
    private readonly DrainedNode _node = new();

    public Task InitializeAsync() => _node.InitializeAsync();

    public Task DisposeAsync() => _node.DisposeAsync();

    [Fact]
    public async Task A_draining_node_tells_browsers_to_resume_elsewhere()
    {
        await using var browser = await WsConnection.ConnectAsync(_node.WebSocketUrl);
        await browser.LoginAsGuestAsync("leaving");
        var stopping = _node.Node.StopAsync();
        var notice = (await browser.ReadAsync(m => m.Error is not null || m.Notice is not null, TimeSpan.FromSeconds(10))).Notice;
        Assert.Equal(NoticeKind.ShuttingDownNotice, notice?.Kind);
        Assert.True(notice!.ReconnectAfterMs > 0);
        await browser.ExpectClosedAsync();

        // While the drain runs, a new browser is refused with SHUTTING_DOWN (or finds the port closed).
        try
        {
            await using var late = await WsConnection.ConnectAsync(_node.WebSocketUrl);
            (await late.ReadAsync(m => m.Error is not null, TimeSpan.FromSeconds(5))).ExpectError(ErrorCode.ShuttingDown, fatal: true);
        }
        catch (WebSocketException)
        {
            // The drain already stopped listening.
        }

        await stopping;
    }

    private sealed class DrainedNode : NodeFixture
    {
        protected override string Hocon => "akkagame.gateway.close-linger = 2s";
    }
}
