using Akkagame.V1;
using AkkaGame.Protocol.Client;
using Xunit;
using static AkkaGame.TestSupport.ClientSteps;
using ErrorCode = Akkagame.V1.ErrorCode;

namespace AkkaGame.TestSupport;

/// <summary>A game server a protocol-flow test talks to over TCP: the node, or a benchmark peer.</summary>
public interface IServerUnderTest
{
    /// <summary>A client that logs in as a guest with <paramref name="guestName"/>, or with <paramref name="token"/>.</summary>
    GameClient NewClient(string? guestName = null, string? token = null, bool predictsMotion = false);

    /// <summary>A player token this server accepts.</summary>
    string Token(string playerId, string name);
}

/// <summary>
/// The protocol flow of PROTOCOL.md through the real GameClient, written once and run against
/// the node (tests/Node.Tests) and every benchmark peer (tests/Bench.Tests), so a peer cannot
/// win a benchmark by skipping a rule. What only the node does (resume, grace, durability
/// across restarts) is tested beside the node. No timing assertions: waits are bounds only.
/// The server must fly ships fast (a sector crossed within a second or so).
/// </summary>
public abstract class ProtocolFlowContract(IServerUnderTest server)
{
    [Fact]
    public async Task Guest_hello_gets_welcome_then_the_snapshot_of_its_sector()
    {
        await using var client = server.NewClient("Guest One");
        var (welcome, snapshot) = await client.LoginAsync();

        Assert.StartsWith("guest-", welcome.PlayerId, StringComparison.Ordinal);
        Assert.Equal("Guest One", welcome.Name);
        Assert.Equal(20u, welcome.TickHz);
        Assert.NotEmpty(welcome.ResumeToken);
        Assert.NotEmpty(welcome.Node);
        Assert.Equal(0, welcome.Credits);
        Assert.Equal(welcome.SectorId, snapshot.SectorId);
        Assert.Equal(1000f, snapshot.Width);
        Assert.Equal(5, snapshot.Asteroids.Count);
        Assert.InRange(snapshot.Gates.Count, 2, 4);
        var ship = Assert.Single(snapshot.Ships, s => s.PlayerId == welcome.PlayerId);
        Assert.True(ship.Connected);
        Assert.InRange(ship.X, 440, 560);
    }

    [Fact]
    public async Task Token_login_uses_the_tokens_player_and_a_forged_token_is_refused()
    {
        var id = NewName();
        await using (var client = server.NewClient(token: server.Token(id, "Tokened")))
        {
            var (welcome, _) = await client.LoginAsync();
            Assert.Equal(id, welcome.PlayerId);
            Assert.Equal("Tokened", welcome.Name);
            Assert.Equal(Game.Simulation.SectorId.HomeOf(id, Game.Simulation.WorldRules.Default), welcome.SectorId);
        }

        var forged = Game.Auth.TokenService.FromSecret("some-other-servers-secret-value").MintPlayerToken(id, "Mallory", TimeSpan.FromHours(1));
        await using var bad = server.NewClient(token: forged);
        var e = await Assert.ThrowsAsync<GameErrorException>(() => bad.ConnectAsync());
        Assert.Equal(ErrorCode.AuthFailed, e.Error.Code);
        Assert.True(e.Error.Fatal);
    }

    [Fact]
    public async Task Move_produces_a_delta_carrying_last_input_seq()
    {
        await using var client = server.NewClient(NewName());
        var (welcome, _) = await client.LoginAsync();
        var seq = await client.SendMoveToAsync(100, 900);
        var delta = await client.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == welcome.PlayerId && s.LastInputSeq == seq) == true, Wait);
        Assert.Equal(0u, delta.Ack);
        Assert.Equal(welcome.SectorId, delta.Delta.SectorId);
        await client.FlyToAsync(100, 900);
    }

    [Fact]
    public async Task Chat_reaches_everyone_in_the_sector_and_is_in_the_next_snapshot()
    {
        var id = NewName();
        await using var a = server.NewClient(token: server.Token(id, "Alice"));
        var (welcome, _) = await a.LoginAsync();
        await using var b = server.NewClient(token: server.Token(PlayerInSector(welcome.SectorId), "Bob"));
        var (bWelcome, _) = await b.LoginAsync();
        Assert.Equal(welcome.SectorId, bWelcome.SectorId);

        var reply = await a.RequestAsync(Chat("  hello sector  "));
        Assert.Equal("hello sector", reply.Chat.Text);
        Assert.Equal(id, reply.Chat.FromPlayerId);
        Assert.Equal("Alice", reply.Chat.FromName);
        var heard = await b.NextAsync(m => m.Chat?.Text == "hello sector", Wait);
        Assert.Equal(reply.Chat.Id, heard.Chat.Id);
        Assert.Equal(0u, heard.Ack);

        (await a.RequestAsync(Chat("\u0007"))).ExpectError(ErrorCode.InvalidInput, fatal: false);

        var second = await a.RequestAsync(Chat("second line"));
        Assert.True(second.Chat.Id > reply.Chat.Id);
        await using var c = server.NewClient(token: server.Token(PlayerInSector(welcome.SectorId), "Carol"));
        var (_, snapshot) = await c.LoginAsync();
        Assert.Equal(["hello sector", "second line"], snapshot.RecentChat.Select(l => l.Text).TakeLast(2).ToArray());
    }

    [Fact]
    public async Task Mine_near_an_asteroid_credits_ten_once_per_second_and_checks_range_and_target()
    {
        await using var client = server.NewClient(NewName());
        var (_, snapshot) = await client.LoginAsync();
        var rock = snapshot.Asteroids[0];
        var far = snapshot.Asteroids.MaxBy(a => ((a.X - rock.X) * (a.X - rock.X)) + ((a.Y - rock.Y) * (a.Y - rock.Y)))!;

        (await client.RequestAsync(Mine("a-77"))).ExpectError(ErrorCode.UnknownTarget, fatal: false);
        await client.FlyToAsync(rock.X + 20, rock.Y);
        (await client.RequestAsync(Mine(far.Id))).ExpectError(ErrorCode.OutOfRange, fatal: false);

        var mined = await client.RequestAsync(Mine(rock.Id));
        Assert.Equal(10, mined.Credits.Balance);
        Assert.Equal(10, mined.Credits.Delta);
        Assert.Equal("mine", mined.Credits.Reason);
        (await client.RequestAsync(Mine(rock.Id))).ExpectError(ErrorCode.Cooldown, fatal: false);

        var ore = await client.NextAsync(m => m.Delta?.Asteroids.Any(a => a.Id == rock.Id) == true, Wait);
        Assert.True(ore.Delta.Asteroids.Single(a => a.Id == rock.Id).Ore < rock.Ore);
    }

    [Fact]
    public async Task Jump_moves_the_ship_beside_the_gate_back_and_the_player_stays_in_the_new_sector()
    {
        var id = NewName();
        await using var client = server.NewClient(token: server.Token(id, "Jumper"));
        var (welcome, snapshot) = await client.LoginAsync();
        var gate = snapshot.Gates[0];

        (await client.RequestAsync(Jump("s-99-99"))).ExpectError(ErrorCode.UnknownTarget, fatal: false);
        (await client.RequestAsync(Jump(gate.Id))).ExpectError(ErrorCode.OutOfRange, fatal: false);
        await client.FlyToAsync(gate.X, gate.Y);

        var jumped = await client.RequestAsync(Jump(gate.Id));
        Assert.Equal(welcome.SectorId, jumped.Jumped.FromSector);
        Assert.Equal(gate.ToSector, jumped.Jumped.ToSector);
        var arrived = (await client.NextAsync(m => m.Snapshot is not null, Wait)).Snapshot;
        Assert.Equal(gate.ToSector, arrived.SectorId);
        var back = arrived.Gates.Single(g => g.ToSector == welcome.SectorId);
        var ship = arrived.Ships.Single(s => s.PlayerId == id);
        Assert.InRange(Math.Sqrt(Math.Pow(ship.X - back.X, 2) + Math.Pow(ship.Y - back.Y, 2)), 0, 50);

        // Inputs now go to the new sector.
        await client.FlyToAsync(arrived.Width / 2, arrived.Height / 2);

        // And the player's sector is kept: a fresh login starts there.
        await client.RequestAsync(new ClientMessage { Leave = new Leave() });
        await using var again = server.NewClient(token: server.Token(id, "Jumper"));
        Assert.Equal(gate.ToSector, (await again.LoginAsync()).Welcome.SectorId);
    }

    [Fact]
    public async Task Ping_gets_pong()
    {
        await using var client = server.NewClient(NewName());
        await client.LoginAsync();
        var pong = await client.RequestAsync(Ping(123456));
        Assert.Equal(123456, pong.Pong.ClientTimeUs);
        Assert.True(pong.Pong.ServerTimeUs > 0);
    }

    [Fact]
    public async Task NaN_move_gets_invalid_input_and_the_connection_goes_on()
    {
        await using var client = server.NewClient(NewName());
        await client.LoginAsync();
        (await client.RequestAsync(Move(float.NaN, 5))).ExpectError(ErrorCode.InvalidInput, fatal: false);
        (await client.RequestAsync(Move(5, float.PositiveInfinity))).ExpectError(ErrorCode.InvalidInput, fatal: false);
        Assert.NotNull((await client.RequestAsync(Ping(7))).Pong);
        await client.FlyToAsync(300, 300);
    }

    [Fact]
    public async Task Leave_says_goodbye_closes_and_the_others_see_the_ship_go()
    {
        await using var watcher = server.NewClient(token: server.Token(NewName(), "Watcher"));
        var (ww, _) = await watcher.LoginAsync();
        var leaverId = PlayerInSector(ww.SectorId);
        await using var leaver = server.NewClient(token: server.Token(leaverId, "Leaver"));
        await leaver.LoginAsync();
        await watcher.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == leaverId) == true, Wait);

        var closed = leaver.Closed();
        var goodbye = await leaver.RequestAsync(new ClientMessage { Leave = new Leave() });
        Assert.Equal(NoticeKind.Goodbye, goodbye.Notice.Kind);
        await closed.WaitAsync(Wait);
        await watcher.NextAsync(m => m.Delta?.RemovedShips.Contains(leaverId) == true, Wait);
    }

    [Fact]
    public async Task A_client_that_predicts_motion_works_out_every_ship_where_a_client_sent_every_move_sees_it()
    {
        // PROTOCOL.md, Motion prediction: two watchers in one sector, one of them predicting,
        // while two other players fly back and forth across it and the predicting one flies too.
        const string sector = "s-6-2";
        await using var predicting = server.NewClient(token: server.Token(PlayerInSector(sector), "Seer"), predictsMotion: true);
        await using var everything = server.NewClient(token: server.Token(PlayerInSector(sector), "Told"));
        var audit = new MotionAudit(predicting, everything);
        var (welcome, _) = await predicting.LoginAsync();
        await everything.LoginAsync();
        await using var ann = server.NewClient(token: server.Token(PlayerInSector(sector), "Ann"));
        await using var bob = server.NewClient(token: server.Token(PlayerInSector(sector), "Bob"));
        await ann.LoginAsync();
        await bob.LoginAsync();
        for (var leg = 0; leg < 4; leg++)
        {
            var (from, to) = leg % 2 == 0 ? (50f, 950f) : (950f, 50f);
            await Task.WhenAll(ann.FlyToAsync(from, to), bob.FlyToAsync(to, to));
        }

        await predicting.FlyToAsync(100, 500);

        // The last deltas are in once a ping sent after them is answered (frames stay in order).
        await predicting.RequestAsync(Ping(1));
        await everything.RequestAsync(Ping(1));
        Assert.True(audit.Check(sector, welcome.TickHz) >= 20, "too few positions to compare");

        // Flights that take several ticks: most of the other client's ship entries were steps
        // along a velocity the predicting client already had.
        var (sentPredicting, sentEverything) = audit.ShipsSent(sector);
        Assert.True(sentPredicting * 10 < sentEverything * 7, $"{sentPredicting} ships sent to the predicting client, {sentEverything} to the other");
    }

    [Fact]
    public async Task Second_login_replaces_the_first_session()
    {
        var id = NewName();
        await using var first = server.NewClient(token: server.Token(id, "Twice"));
        await first.LoginAsync();
        await using var second = server.NewClient(token: server.Token(id, "Twice"));
        await second.LoginAsync();

        (await first.NextAsync(m => m.Error is not null, Wait)).ExpectError(ErrorCode.SessionReplaced, fatal: true);
        Assert.NotNull((await second.RequestAsync(Ping(1))).Pong);
    }

    [Fact]
    public async Task A_zero_length_frame_is_fatal_and_closes_the_connection()
    {
        await using var client = server.NewClient(NewName());
        await client.LoginAsync();
        var closed = client.Closed();
        await client.SendRawFrameAsync([0, 0, 0, 0]);
        (await client.NextAsync(m => m.Error is not null, Wait)).ExpectError(ErrorCode.FrameTooLarge, fatal: true);
        await closed.WaitAsync(Wait);
    }
}
