using Akkagame.V1;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;
using Xunit;

namespace AkkaGame.Game.Tests.Sessions;

/// <summary>
/// The session rules every server runs (the node's SessionActor and each benchmark peer), with
/// no socket and no clock: time is a number passed in.
/// </summary>
public sealed class SessionGateTests
{
    private static readonly TokenService Tokens = TokenService.FromSecret("session-gate-tests-secret-0123456789");
    private static readonly SessionRules Rules = SessionRules.Default with { MaxMessagesPerSecond = 5, Burst = 5, FatalRateMultiplier = 3 };

    [Fact]
    public void The_first_message_must_be_hello()
    {
        var gate = new SessionGate(Rules, Tokens, nowMs: 0);
        var result = gate.Accept(Bytes(new ClientMessage { Seq = 4, Ping = new Ping() }), 1);
        Assert.Equal(GateAction.Fatal, result.Action);
        Assert.Equal(ErrorCode.NotAuthenticated, result.Code);
        Assert.Equal(ErrorCode.NotAuthenticated, Decode(result.Frame!).Error.Code);
        Assert.True(gate.IsClosed);
    }

    [Fact]
    public void A_guest_hello_logs_in_and_then_inputs_pass_validated()
    {
        var gate = LoggedIn();
        Assert.Equal(GateAction.Input, gate.Accept(Bytes(new ClientMessage { Seq = 2, MoveTo = new MoveTo { X = 1, Y = 2 } }), 2).Action);

        var bad = gate.Accept(Bytes(new ClientMessage { Seq = 3, MoveTo = new MoveTo { X = float.NaN, Y = 2 } }), 3);
        Assert.Equal((GateAction.Reply, ErrorCode.InvalidInput), (bad.Action, bad.Code));

        var pong = Decode(gate.Accept(Bytes(new ClientMessage { Seq = 4, Ping = new Ping { ClientTimeUs = 77 } }), 4).Frame!);
        Assert.Equal((4u, 77L), (pong.Ack, pong.Pong.ClientTimeUs));
    }

    [Theory]
    [InlineData(2u, ErrorCode.UnsupportedVersion)]
    [InlineData(1u, ErrorCode.NotAuthenticated)]
    public void Bad_hellos_are_fatal_with_their_code(uint version, ErrorCode expected)
    {
        var gate = new SessionGate(Rules, Tokens, nowMs: 0);
        var hello = new Hello { ProtocolVersion = version };
        if (version != ProtocolVersion.Current)
        {
            hello.GuestName = "ann";
        }

        var result = gate.Accept(Bytes(new ClientMessage { Seq = 1, Hello = hello }), 1);
        Assert.Equal((GateAction.Fatal, expected), (result.Action, result.Code));
    }

    [Fact]
    public void Past_the_rate_inputs_are_dropped_and_far_past_it_the_session_ends()
    {
        var gate = LoggedIn();
        var codes = Enumerable.Range(0, 40).Select(i => gate.Accept(Bytes(new ClientMessage { Seq = (uint)(i + 2), Ping = new Ping() }), 10)).ToList();
        Assert.Contains(codes, r => r is { Action: GateAction.Reply, Code: ErrorCode.RateLimited });
        Assert.Equal(ErrorCode.RateLimited, codes.First(r => r.Action == GateAction.Fatal).Code);
    }

    [Fact]
    public void Hello_and_idle_timeouts_come_from_the_time_given()
    {
        var waiting = new SessionGate(Rules, Tokens, nowMs: 0);
        Assert.Null(waiting.CheckTimeouts(9_000));
        Assert.Equal(ErrorCode.IdleTimeout, Decode(waiting.CheckTimeouts(10_001)!).Error.Code);

        var playing = LoggedIn();
        Assert.Null(playing.CheckTimeouts(30_000));
        Assert.NotNull(playing.CheckTimeouts(30_002));
    }

    [Fact]
    public void The_next_check_is_the_deadline_a_check_at_it_finds_and_a_frame_pushes_it_back()
    {
        var waiting = new SessionGate(Rules, Tokens, nowMs: 0);
        var helloDeadline = waiting.NextCheckMs!.Value;
        Assert.Null(waiting.CheckTimeouts(helloDeadline - 1));
        Assert.NotNull(waiting.CheckTimeouts(helloDeadline));
        Assert.Null(waiting.NextCheckMs);

        var playing = LoggedIn();
        var idleDeadline = playing.NextCheckMs!.Value;
        playing.Accept(Bytes(new ClientMessage { Seq = 9, Ping = new Ping() }), 5_000);
        Assert.Equal(idleDeadline + 5_000 - 1, playing.NextCheckMs); // the Hello came at 1, the ping at 5,000
        Assert.Null(playing.CheckTimeouts(idleDeadline));
        Assert.NotNull(playing.CheckTimeouts(playing.NextCheckMs!.Value));
    }

    [Fact]
    public void The_core_reads_no_clock_of_its_own_the_pong_carries_the_time_it_is_given()
    {
        var at = new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
        var gate = new SessionGate(Rules, Tokens, nowMs: 0, new FixedClock(at));
        gate.Accept(Bytes(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = ProtocolVersion.Current, GuestName = "ann" } }), 1);
        var pong = Decode(gate.Accept(Bytes(new ClientMessage { Seq = 2, Ping = new Ping { ClientTimeUs = 5 } }), 2).Frame!);
        Assert.Equal(at.ToUnixTimeMilliseconds() * 1000, pong.Pong.ServerTimeUs);
    }

    [Theory]
    [InlineData(Rejection.OutOfRange, ErrorCode.OutOfRange)]
    [InlineData(Rejection.UnknownTarget, ErrorCode.UnknownTarget)]
    [InlineData(Rejection.Cooldown, ErrorCode.Cooldown)]
    [InlineData(Rejection.InvalidInput, ErrorCode.InvalidInput)]
    public void The_one_mapping_from_the_cores_rejections_to_protocol_codes(Rejection rejection, ErrorCode code) =>
        Assert.Equal(code, Replies.ToErrorCode(rejection));

    private static SessionGate LoggedIn()
    {
        var gate = new SessionGate(Rules, Tokens, nowMs: 0);
        var login = gate.Accept(Bytes(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = ProtocolVersion.Current, GuestName = "ann" } }), 1);
        Assert.Equal(GateAction.Login, login.Action);
        Assert.StartsWith("guest-", login.Identity!.PlayerId, StringComparison.Ordinal);
        return gate;
    }

    private static byte[] Bytes(ClientMessage message) => message.ToByteArray();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static ServerMessage Decode(byte[] frame) => ServerMessage.Parser.ParseFrom(frame.AsSpan(Frame.HeaderBytes));
}
