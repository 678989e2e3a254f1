using Akkagame.V1;
using AkkaGame.Node.Tests.Support;
using AkkaGame.TestSupport;
using Xunit;

namespace AkkaGame.Node.Tests.Integration;

/// <summary>
/// PROTOCOL.md Behaviour 1, 2, 5, 6, 7, 8 and 12: every bad input gets its exact error code,
/// fatal or not, and a bystander connected to the same node keeps playing throughout. The same
/// tests for every transport: TCP (<see cref="BadInputTests"/>) and WebSocket
/// (Web/WebSocketConformanceTests.cs); each says how it sends what only it can cut.
/// </summary>
public abstract class BadInputContract(StrictNode fixture)
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected StrictNode Fixture => fixture;

    /// <summary>A new bare connection on this transport.</summary>
    protected abstract Task<ProtocolConnection> Connect();

    /// <summary>Messages sent as close together as the transport allows.</summary>
    protected abstract Task SendAtOnceAsync(ProtocolConnection c, IEnumerable<ClientMessage> messages);

    /// <summary>One frame with exactly this body (possibly empty, possibly not protobuf).</summary>
    protected abstract Task SendFrameBodyAsync(ProtocolConnection c, byte[] body);

    /// <summary>A frame past the limit, as this transport can announce or send one.</summary>
    protected abstract Task SendOversizedAsync(ProtocolConnection c, int limit);

    /// <summary>Runs the misbehaviour while a bystander plays, then proves the bystander still plays.</summary>
    protected Task WithBystander(Func<Task> misbehave) => Bystander.StillPlaysAfterAsync(Connect, misbehave);

    [Fact]
    public Task First_message_other_than_hello_is_not_authenticated() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendAsync(ClientMessages.Ping(1));
        var error = await c.ExpectFatalAsync(ErrorCode.NotAuthenticated);
        Assert.NotEmpty(error.Message);
    });

    [Fact]
    public Task Wrong_protocol_version_is_unsupported() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 2, GuestName = "x" } });
        await c.ExpectFatalAsync(ErrorCode.UnsupportedVersion);
    });

    [Fact]
    public Task No_hello_within_the_handshake_timeout_is_idle_timeout() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.ExpectFatalAsync(ErrorCode.IdleTimeout, TimeSpan.FromSeconds(5));
    });

    [Fact]
    public Task Bad_token_is_auth_failed() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = "v1.p.bm9wZQ.bm9wZQ.MQ.c2ln" } });
        await c.ExpectFatalAsync(ErrorCode.AuthFailed);
    });

    [Fact]
    public Task Expired_token_is_auth_failed() => WithBystander(async () =>
    {
        var expired = Fixture.Node.Tokens.MintPlayerToken("late", "Late", TimeSpan.FromSeconds(-5));
        await using var c = await Connect();
        await c.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = expired } });
        await c.ExpectFatalAsync(ErrorCode.AuthFailed);
    });

    [Fact]
    public Task Hello_without_credentials_is_not_authenticated() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1 } });
        await c.ExpectFatalAsync(ErrorCode.NotAuthenticated);
    });

    [Fact]
    public Task Guest_name_over_32_characters_is_refused() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, GuestName = new string('n', 33) } });
        await c.ExpectFatalAsync(ErrorCode.InvalidInput);
    });

    [Fact]
    public Task Nan_or_infinite_move_is_invalid_input_and_not_fatal() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await c.SendAsync(new ClientMessage { Seq = 5, MoveTo = new MoveTo { X = float.NaN, Y = 1 } });
        Assert.False((await c.ReadAsync(m => m.Error is not null && m.Ack == 5, Wait)).Error.Fatal);
        await c.SendAsync(new ClientMessage { Seq = 6, MoveTo = new MoveTo { X = 1, Y = float.PositiveInfinity } });
        Assert.Equal(ErrorCode.InvalidInput, (await c.ReadAsync(m => m.Error is not null && m.Ack == 6, Wait)).Error.Code);
        await c.SendAsync(ClientMessages.Ping(7));
        await c.ReadAsync(m => m.Pong is not null && m.Ack == 7, Wait);
    });

    [Theory]
    [InlineData("")]
    [InlineData("    ")]
    [InlineData("line\nbreak")]
    [InlineData("esc\u001b[31m")]
    public Task Bad_chat_is_invalid_input_and_not_fatal(string text) => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await c.SendAsync(new ClientMessage { Seq = 5, Chat = new Chat { Text = text } });
        var error = (await c.ReadAsync(m => m.Error is not null && m.Ack == 5, Wait)).Error;
        Assert.Equal(ErrorCode.InvalidInput, error.Code);
        Assert.False(error.Fatal);
        await c.SendAsync(ClientMessages.Ping(6));
        await c.ReadAsync(m => m.Pong is not null, Wait);
    });

    [Fact]
    public Task Chat_over_200_characters_is_invalid_input() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await c.SendAsync(new ClientMessage { Seq = 5, Chat = new Chat { Text = new string('x', 201) } });
        Assert.Equal(ErrorCode.InvalidInput, (await c.ReadAsync(m => m.Error is not null && m.Ack == 5, Wait)).Error.Code);
        await c.SendAsync(new ClientMessage { Seq = 6, Chat = new Chat { Text = new string('x', 200) } });
        Assert.Equal(200, (await c.ReadAsync(m => m.Chat is not null && m.Ack == 6, Wait)).Chat.Text.Length);
    });

    [Fact]
    public Task Mine_errors_are_not_fatal() => WithBystander(async () =>
    {
        await using var c = await Connect();
        var (welcome, snapshot) = await c.LoginAsGuestAsync();
        await c.SendAsync(new ClientMessage { Seq = 5, Mine = new Mine { AsteroidId = "nope" } });
        (await c.ReadAsync(m => m.Ack == 5 && m.Error is not null, Wait)).ExpectError(ErrorCode.UnknownTarget, fatal: false);
        var ship = snapshot.Ships.Single(s => s.PlayerId == welcome.PlayerId);
        var rock = snapshot.Asteroids.MaxBy(a => Math.Pow(a.X - ship.X, 2) + Math.Pow(a.Y - ship.Y, 2))!;
        await c.SendAsync(new ClientMessage { Seq = 6, Mine = new Mine { AsteroidId = rock.Id } });
        (await c.ReadAsync(m => m.Ack == 6 && m.Error is not null, Wait)).ExpectError(ErrorCode.OutOfRange, fatal: false);
    });

    [Fact]
    public Task Jump_errors_are_not_fatal() => WithBystander(async () =>
    {
        await using var c = await Connect();
        var (_, snapshot) = await c.LoginAsGuestAsync();
        await c.SendAsync(new ClientMessage { Seq = 5, Jump = new Jump { GateId = "s-42-42" } });
        (await c.ReadAsync(m => m.Ack == 5 && m.Error is not null, Wait)).ExpectError(ErrorCode.UnknownTarget, fatal: false);
        await c.SendAsync(new ClientMessage { Seq = 6, Jump = new Jump { GateId = snapshot.Gates[0].Id } });
        (await c.ReadAsync(m => m.Ack == 6 && m.Error is not null, Wait)).ExpectError(ErrorCode.OutOfRange, fatal: false);
    });

    [Fact]
    public Task Over_the_rate_limit_is_rate_limited_and_dropped_not_fatal() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        // 150 at once: the burst of 100 (less the Hello) passes, the rest is refused and dropped.
        await SendAtOnceAsync(c, Enumerable.Range(10, 150).Select(i => ClientMessages.Ping((uint)i)));
        var pongs = 0;
        var limited = 0;
        while (pongs + limited < 150)
        {
            var m = await c.ReadAsync(m => m.Pong is not null || m.Error is not null, Wait);
            if (m.Pong is not null)
            {
                pongs++;
            }
            else
            {
                m.ExpectError(ErrorCode.RateLimited, fatal: false);
                limited++;
            }
        }

        Assert.InRange(pongs, 95, 110);
        Assert.Equal(150 - pongs, limited);
    });

    [Fact]
    public Task Five_times_the_rate_limit_in_one_second_is_fatal() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await SendAtOnceAsync(c, Enumerable.Range(10, 300).Select(i => ClientMessages.Ping((uint)i)));
        var fatal = await c.ReadAsync(m => m.Error?.Fatal == true, Wait);
        fatal.ExpectError(ErrorCode.RateLimited, fatal: true);
        await c.ExpectClosedAsync();
    });

    [Fact]
    public Task Silence_after_login_is_idle_timeout() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await c.ExpectFatalAsync(ErrorCode.IdleTimeout, TimeSpan.FromSeconds(6));
    });

    [Fact]
    public Task Zero_length_frame_is_frame_too_large() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await SendFrameBodyAsync(c, []);
        await c.ExpectFatalAsync(ErrorCode.FrameTooLarge);
    });

    [Fact]
    public Task Oversized_frame_is_frame_too_large() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await c.LoginAsGuestAsync();
        await SendOversizedAsync(c, Fixture.Node.Settings.Gateway.MaxFrameBytes);
        await c.ExpectFatalAsync(ErrorCode.FrameTooLarge);
    });

    [Fact]
    public Task Garbage_is_malformed() => WithBystander(async () =>
    {
        await using var c = await Connect();
        await SendFrameBodyAsync(c, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
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
}
