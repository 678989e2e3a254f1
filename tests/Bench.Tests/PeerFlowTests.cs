using Akkagame.V1;
using ErrorCode = Akkagame.V1.ErrorCode;
using AkkaGame.Bench.Tests.Support;
using AkkaGame.Protocol.Client;
using Xunit;
using static AkkaGame.TestSupport.ClientSteps;

namespace AkkaGame.Bench.Tests;

/// <summary>
/// The protocol flow of PROTOCOL.md through the real GameClient, run against every peer, so a
/// peer cannot win a benchmark by skipping a rule. No timing assertions: waits are bounds only.
/// </summary>
public abstract class PeerFlowTests(PeerFixture peer) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A peer that hid an exception to keep going failed all the same.</summary>
    public Task DisposeAsync()
    {
        Assert.Equal(0, peer.Faults.Count);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Guest_hello_gets_welcome_then_the_snapshot_of_its_sector()
    {
        await using var client = peer.NewClient("Guest One");
        var (welcome, snapshot) = await client.LoginAsync();

        Assert.StartsWith("guest-", welcome.PlayerId, StringComparison.Ordinal);
        Assert.Equal("Guest One", welcome.Name);
        Assert.Equal(20u, welcome.TickHz);
        Assert.NotEmpty(welcome.ResumeToken);
        Assert.Equal(0, welcome.Credits);
        Assert.Equal(welcome.SectorId, snapshot.SectorId);
        Assert.Equal(5, snapshot.Asteroids.Count);
        Assert.InRange(snapshot.Gates.Count, 2, 4);
        var ship = Assert.Single(snapshot.Ships, s => s.PlayerId == welcome.PlayerId);
        Assert.True(ship.Connected);
    }

    [Fact]
    public async Task Token_login_uses_the_tokens_player_and_a_forged_token_is_refused()
    {
        var id = NewName();
        await using (var client = peer.NewClient(token: peer.Token(id, "Tokened")))
        {
            var (welcome, _) = await client.LoginAsync();
            Assert.Equal(id, welcome.PlayerId);
            Assert.Equal(AkkaGame.Node.Simulation.SectorId.HomeOf(id, AkkaGame.Node.Simulation.WorldRules.Default), welcome.SectorId);
        }

        var forged = AkkaGame.Node.Auth.TokenService.FromSecret("some-other-servers-secret-value").MintPlayerToken(id, "Mallory", TimeSpan.FromHours(1));
        await using var bad = peer.NewClient(token: forged);
        var e = await Assert.ThrowsAsync<GameErrorException>(() => bad.ConnectAsync());
        Assert.Equal(ErrorCode.AuthFailed, e.Error.Code);
        Assert.True(e.Error.Fatal);
    }

    [Fact]
    public async Task Move_produces_a_delta_carrying_last_input_seq()
    {
        await using var client = peer.NewClient(NewName());
        var (welcome, _) = await client.LoginAsync();
        var seq = await client.SendMoveToAsync(100, 900);
        var delta = await client.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == welcome.PlayerId && s.LastInputSeq == seq) == true, Wait);
        Assert.Equal(0u, delta.Ack);
        Assert.Equal(welcome.SectorId, delta.Delta.SectorId);
        await client.FlyToAsync(100, 900);
    }

    [Fact]
    public async Task Chat_reaches_a_second_client_in_the_same_sector()
    {
        var id = NewName();
        await using var a = peer.NewClient(token: peer.Token(id, "Alice"));
        var (welcome, _) = await a.LoginAsync();
        await using var b = peer.NewClient(token: peer.Token(PlayerInSector(welcome.SectorId), "Bob"));
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
    }

    [Fact]
    public async Task Mine_near_an_asteroid_credits_ten_once_per_second()
    {
        await using var client = peer.NewClient(NewName());
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
    public async Task Jump_near_a_gate_gets_jumped_then_the_new_sectors_snapshot()
    {
        var id = NewName();
        await using var client = peer.NewClient(token: peer.Token(id, "Jumper"));
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
    }

    [Fact]
    public async Task Ping_gets_pong()
    {
        await using var client = peer.NewClient(NewName());
        await client.LoginAsync();
        var pong = await client.RequestAsync(Ping(123456));
        Assert.Equal(123456, pong.Pong.ClientTimeUs);
        Assert.True(pong.Pong.ServerTimeUs > 0);
    }

    [Fact]
    public async Task NaN_move_gets_invalid_input_and_the_connection_goes_on()
    {
        await using var client = peer.NewClient(NewName());
        await client.LoginAsync();
        (await client.RequestAsync(Move(float.NaN, 5))).ExpectError(ErrorCode.InvalidInput, fatal: false);
        (await client.RequestAsync(Move(5, float.PositiveInfinity))).ExpectError(ErrorCode.InvalidInput, fatal: false);
        Assert.NotNull((await client.RequestAsync(Ping(7))).Pong);
        await client.FlyToAsync(300, 300);
    }

    [Fact]
    public async Task Leave_says_goodbye_and_the_others_see_the_ship_go()
    {
        await using var watcher = peer.NewClient(token: peer.Token(NewName(), "Watcher"));
        var (ww, _) = await watcher.LoginAsync();
        var leaverId = PlayerInSector(ww.SectorId);
        await using var leaver = peer.NewClient(token: peer.Token(leaverId, "Leaver"));
        await leaver.LoginAsync();
        await watcher.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == leaverId) == true, Wait);

        var closed = leaver.Closed();
        var goodbye = await leaver.RequestAsync(new ClientMessage { Leave = new Leave() });
        Assert.Equal(NoticeKind.Goodbye, goodbye.Notice.Kind);
        await closed.WaitAsync(Wait);
        await watcher.NextAsync(m => m.Delta?.RemovedShips.Contains(leaverId) == true, Wait);
    }

    [Fact]
    public async Task Second_login_replaces_the_first_session()
    {
        var id = NewName();
        await using var first = peer.NewClient(token: peer.Token(id, "Twice"));
        await first.LoginAsync();
        await using var second = peer.NewClient(token: peer.Token(id, "Twice"));
        await second.LoginAsync();

        (await first.NextAsync(m => m.Error is not null, Wait)).ExpectError(ErrorCode.SessionReplaced, fatal: true);
        Assert.NotNull((await second.RequestAsync(Ping(1))).Pong);
    }

    [Fact]
    public async Task A_zero_length_frame_is_fatal_and_closes_the_connection()
    {
        await using var client = peer.NewClient(NewName());
        await client.LoginAsync();
        var closed = client.Closed();
        await client.SendRawFrameAsync([0, 0, 0, 0]);
        (await client.NextAsync(m => m.Error is not null, Wait)).ExpectError(ErrorCode.FrameTooLarge, fatal: true);
        await closed.WaitAsync(Wait);
    }

    [Fact]
    public async Task Stopping_the_peer_tells_its_clients_it_is_shutting_down()
    {
        await using var server = peer.NewServer();
        var endpoint = await server.StartAsync(CancellationToken.None);
        await using var client = new GameClient(new GameClientOptions { Endpoints = [endpoint.ToString()], GuestName = "Stayer", AutoReconnect = false });
        await client.LoginAsync();

        var stopping = server.StopAsync();
        var notice = await client.NextAsync(m => m.Notice is not null, Wait);
        Assert.Equal(NoticeKind.ShuttingDownNotice, notice.Notice.Kind);
        Assert.True(notice.Notice.ReconnectAfterMs > 0);
        await stopping.WaitAsync(Wait);
        Assert.Equal(0, server.Faults.Count);
    }
}

public sealed class ThreadPerClientFlowTests(ThreadPerClientPeer peer) : PeerFlowTests(peer), IClassFixture<ThreadPerClientPeer>;

public sealed class RawAsyncFlowTests(RawAsyncPeer peer) : PeerFlowTests(peer), IClassFixture<RawAsyncPeer>;

public sealed class OrleansFlowTests(OrleansPeer peer) : PeerFlowTests(peer), IClassFixture<OrleansPeer>;
