using System.Net.WebSockets;
using Akkagame.V1;
using AkkaGame.Node.Tests.Support;
using AkkaGame.TestSupport;
using Google.Protobuf;
using Xunit;

namespace AkkaGame.Node.Tests.Web;

/// <summary>
/// The protocol's bad-input rules (PROTOCOL.md) for WebSocket clients: the same answers as over
/// TCP, each while a bystander plays over WebSocket and proves it was not hurt. A WebSocket
/// message is one frame, so what TCP says about length headers applies to message sizes.
/// </summary>
public sealed class WebSocketConformanceTests(StrictNode fixture) : IClassFixture<StrictNode>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private Task<WsConnection> Connect() => WsConnection.ConnectAsync(fixture.WebSocketUrl);

    private async Task WithBystander(Func<Task> misbehave)
    {
        await using var bystander = await Connect();
        var (welcome, _) = await bystander.LoginAsGuestAsync("bystander");
        using (var stop = new CancellationTokenSource())
        {
            var keepAlive = bystander.KeepAliveAsync(TimeSpan.FromMilliseconds(500), stop.Token);
            await misbehave();
            await stop.CancelAsync();
            await keepAlive;
        }

        await bystander.SendAsync(ClientMessages.Ping(2));
        Assert.NotNull((await bystander.ReadAsync(m => m.Pong is not null && m.Ack == 2, Wait)).Pong);
        await bystander.SendAsync(new ClientMessage { Seq = 3, MoveTo = new MoveTo { X = 10, Y = 10 } });
        await bystander.ReadAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == welcome.PlayerId && s.LastInputSeq == 3) == true, Wait);
    }

    [Fact]
    public async Task A_browser_plays_the_same_game_as_a_TCP_client_and_they_see_each_other()
    {
        await using var browser = await Connect();
        var (welcome, snapshot) = await browser.LoginAsGuestAsync("browser");
        Assert.StartsWith("guest-", welcome.PlayerId, StringComparison.Ordinal);
        Assert.Equal(welcome.SectorId, snapshot.SectorId);

        // A TCP client in the same sector sees the browser's ship move, and its chat line.
        await using var tcp = await RawConnection.ConnectAsync(fixture.Endpoint);
        await tcp.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = fixture.Node.Tokens.MintPlayerToken(ClientSteps.PlayerInSector(welcome.SectorId), "Tcp", TimeSpan.FromHours(1)) } });
        await tcp.ReadAsync(m => m.Snapshot?.SectorId == welcome.SectorId, Wait);
        await browser.SendAsync(new ClientMessage { Seq = 5, MoveTo = new MoveTo { X = 300, Y = 400 } });
        await tcp.ReadAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == welcome.PlayerId && s.LastInputSeq == 5) == true, Wait);
        await browser.SendAsync(new ClientMessage { Seq = 6, Chat = new Chat { Text = "hello from a browser" } });
        Assert.Equal("hello from a browser", (await browser.ReadAsync(m => m.Chat is not null && m.Ack == 6, Wait)).Chat.Text);
        Assert.Equal(welcome.PlayerId, (await tcp.ReadAsync(m => m.Chat is not null, Wait)).Chat.FromPlayerId);

        // Resume over WebSocket: the same player, from the resume token.
        await browser.DisposeAsync();
        await using var again = await Connect();
        await again.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, ResumeToken = welcome.ResumeToken } });
        Assert.Equal(welcome.PlayerId, (await again.ReadAsync(m => m.Welcome is not null, Wait)).Welcome.PlayerId);
    }

    [Fact]
    public Task First_message_other_than_hello_is_not_authenticated() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendAsync(ClientMessages.Ping(1));
        await c.ExpectFatalAsync(ErrorCode.NotAuthenticated);
    });

    [Fact]
    public Task Wrong_protocol_version_is_unsupported() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 2, GuestName = "x" } });
        await c.ExpectFatalAsync(ErrorCode.UnsupportedVersion);
    });

    [Fact]
    public Task Bad_token_is_auth_failed() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = "v1.p.bm9wZQ.bm9wZQ.MQ.c2ln" } });
        await c.ExpectFatalAsync(ErrorCode.AuthFailed);
    });

    [Fact]
    public Task No_hello_within_the_handshake_timeout_is_idle_timeout() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.ExpectFatalAsync(ErrorCode.IdleTimeout, TimeSpan.FromSeconds(5));
    });

    [Fact]
    public Task Garbage_is_malformed() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendBytesAsync([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
        await c.ExpectFatalAsync(ErrorCode.Malformed);
    });

    [Fact]
    public Task A_text_message_is_malformed() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await c.SendBytesAsync("{\"moveTo\":{\"x\":1,\"y\":2}}"u8.ToArray(), WebSocketMessageType.Text);
        await c.ExpectFatalAsync(ErrorCode.Malformed);
    });

    [Fact]
    public Task Message_without_body_is_malformed() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await c.SendAsync(new ClientMessage { Seq = 9 });
        await c.ExpectFatalAsync(ErrorCode.Malformed);
    });

    [Fact]
    public Task An_empty_message_is_a_zero_length_frame() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendBytesAsync([]);
        await c.ExpectFatalAsync(ErrorCode.FrameTooLarge);
    });

    [Fact]
    public Task An_oversized_message_is_frame_too_large_and_never_buffered_whole() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        var limit = fixture.Node.Settings.Gateway.MaxFrameBytes;
        await c.SendBytesAsync(new ClientMessage { Seq = 5, Chat = new Chat { Text = new string('x', limit) } }.ToByteArray());
        await c.ExpectFatalAsync(ErrorCode.FrameTooLarge);
    });

    [Fact]
    public Task Nan_move_is_invalid_input_and_not_fatal() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await c.SendAsync(new ClientMessage { Seq = 5, MoveTo = new MoveTo { X = float.NaN, Y = 1 } });
        (await c.ReadAsync(m => m.Error is not null && m.Ack == 5, Wait)).ExpectError(ErrorCode.InvalidInput, fatal: false);
        await c.SendAsync(ClientMessages.Ping(6));
        await c.ReadAsync(m => m.Pong is not null && m.Ack == 6, Wait);
    });

    [Fact]
    public Task Over_the_rate_limit_is_rate_limited_not_fatal_and_five_times_over_is_fatal() => WithBystander(async () =>
    {
        await using (var c = await Connect())
        {
            await c.LoginAsGuestAsync();
            for (var i = 10; i < 160; i++)
            {
                await c.SendAsync(ClientMessages.Ping((uint)i));
            }

            (await c.ReadAsync(m => m.Error is not null, Wait)).ExpectError(ErrorCode.RateLimited, fatal: false);
        }

        await using var flood = await Connect();
        await flood.LoginAsGuestAsync();
        for (var i = 10; i < 310; i++)
        {
            await flood.SendAsync(ClientMessages.Ping((uint)i));
        }

        (await flood.ReadAsync(m => m.Error?.Fatal == true, Wait)).ExpectError(ErrorCode.RateLimited, fatal: true);
        await flood.ExpectClosedAsync();
    });

    [Fact]
    public Task Silence_after_login_is_idle_timeout() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await c.ExpectFatalAsync(ErrorCode.IdleTimeout, TimeSpan.FromSeconds(6));
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

        await using var probe = await WsConnection.ConnectAsync(fixture.WebSocketUrl);
        var sector = (await probe.LoginAsGuestAsync("probe")).Welcome.SectorId;
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
            await using var talker = await RawConnection.ConnectAsync(fixture.Endpoint);
            await talker.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = fixture.Node.Tokens.MintPlayerToken(ClientSteps.PlayerInSector(sector), "Talker", TimeSpan.FromHours(1)) } });
            await talker.ReadAsync(m => m.Snapshot is not null, Wait);
            var line = new string('z', 200);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            uint seq = 10;
            while (SlowConsumers() < before + victims.Count && DateTime.UtcNow < deadline)
            {
                await talker.SendAsync(new ClientMessage { Seq = seq++, Chat = new Chat { Text = line } });
                await talker.ReadAsync(m => m.Chat is not null || m.Error is not null, Wait);
            }

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
