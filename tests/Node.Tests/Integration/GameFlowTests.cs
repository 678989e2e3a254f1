using Akkagame.V1;
using AkkaGame.Node.Tests.Support;
using AkkaGame.Protocol.Client;
using Xunit;
using AkkaGame.TestSupport;
using static AkkaGame.TestSupport.ClientSteps;

namespace AkkaGame.Node.Tests.Integration;

/// <summary>The whole flow of PROTOCOL.md through GameClient against a real node over TCP.</summary>
public class GameFlowTests(GameFlowNode fixture) : IClassFixture<GameFlowNode>
{
    private string Token(string playerId, string name) =>
        fixture.Node.Tokens.MintPlayerToken(playerId, name, TimeSpan.FromHours(1));

    [Fact]
    public async Task Guest_hello_gets_welcome_then_the_snapshot_of_its_sector()
    {
        await using var client = fixture.NewClient("Guest One");
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
    public async Task Token_login_uses_the_tokens_player_and_a_bad_token_is_refused()
    {
        var id = NewName();
        await using (var client = fixture.NewClient(token: Token(id, "Tokened")))
        {
            var (welcome, _) = await client.LoginAsync();
            Assert.Equal(id, welcome.PlayerId);
            Assert.Equal("Tokened", welcome.Name);
        }

        var forged = TokenFromAnotherServer(id);
        await using var bad = fixture.NewClient(token: forged);
        var e = await Assert.ThrowsAsync<GameErrorException>(() => bad.ConnectAsync());
        Assert.Equal(ErrorCode.AuthFailed, e.Error.Code);
        Assert.True(e.Error.Fatal);
    }

    [Fact]
    public async Task Move_produces_deltas_carrying_last_input_seq()
    {
        await using var client = fixture.NewClient(NewName());
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
        await using var a = fixture.NewClient(token: Token(id, "Alice"));
        var (welcome, _) = await a.LoginAsync();
        var partnerId = PlayerInSector(welcome.SectorId);
        await using var b = fixture.NewClient(token: Token(partnerId, "Bob"));
        var (bWelcome, _) = await b.LoginAsync();
        Assert.Equal(welcome.SectorId, bWelcome.SectorId);

        var reply = await a.RequestAsync(Chat("  hello sector  "));
        Assert.Equal("hello sector", reply.Chat.Text);
        Assert.Equal(id, reply.Chat.FromPlayerId);
        Assert.Equal("Alice", reply.Chat.FromName);
        var heard = await b.NextAsync(m => m.Chat?.Text == "hello sector", Wait);
        Assert.Equal(reply.Chat.Id, heard.Chat.Id);
        Assert.Equal(0u, heard.Ack);

        var second = await a.RequestAsync(Chat("second line"));
        Assert.True(second.Chat.Id > reply.Chat.Id);
        await using var c = fixture.NewClient(token: Token(PlayerInSector(welcome.SectorId), "Carol"));
        var (_, snapshot) = await c.LoginAsync();
        Assert.Equal(["hello sector", "second line"], snapshot.RecentChat.Select(l => l.Text).TakeLast(2).ToArray());
    }

    [Fact]
    public async Task Mine_credits_after_storage_and_enforces_range_cooldown_and_targets()
    {
        await using var client = fixture.NewClient(NewName());
        var (_, snapshot) = await client.LoginAsync();
        var rock = snapshot.Asteroids[0];
        var far = snapshot.Asteroids.MaxBy(a => (a.X - rock.X) * (a.X - rock.X) + (a.Y - rock.Y) * (a.Y - rock.Y))!;

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
    public async Task Jump_moves_the_ship_beside_the_gate_back_and_is_stored()
    {
        var id = NewName();
        await using var client = fixture.NewClient(token: Token(id, "Jumper"));
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

        // The new sector is stored: a fresh login starts there.
        await client.RequestAsync(new ClientMessage { Leave = new Leave() });
        await using var again = fixture.NewClient(token: Token(id, "Jumper"));
        Assert.Equal(gate.ToSector, (await again.LoginAsync()).Welcome.SectorId);
    }

    [Fact]
    public async Task Ping_gets_pong_from_the_session()
    {
        await using var client = fixture.NewClient(NewName());
        await client.LoginAsync();
        var pong = await client.RequestAsync(new ClientMessage { Ping = new Ping { ClientTimeUs = 123456 } });
        Assert.Equal(123456, pong.Pong.ClientTimeUs);
        Assert.True(pong.Pong.ServerTimeUs > 0);
    }

    [Fact]
    public async Task Leave_says_goodbye_closes_and_removes_the_ship()
    {
        var id = NewName();
        await using var watcher = fixture.NewClient(token: Token(id + "-w", "Watcher"));
        var (ww, _) = await watcher.LoginAsync();
        var leaverId = PlayerInSector(ww.SectorId);
        await using var leaver = fixture.NewClient(token: Token(leaverId, "Leaver"));
        await leaver.LoginAsync();
        await watcher.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == leaverId) == true, Wait);

        var closed = leaver.Closed();
        var goodbye = await leaver.RequestAsync(new ClientMessage { Leave = new Leave() });
        Assert.Equal(NoticeKind.Goodbye, goodbye.Notice.Kind);
        await closed.WaitAsync(Wait);
        await watcher.NextAsync(m => m.Delta?.RemovedShips.Contains(leaverId) == true, Wait);
    }

    [Fact]
    public async Task Disconnect_keeps_the_ship_for_the_grace_and_resume_reattaches_it()
    {
        await using var watcher = fixture.NewClient(token: Token(NewName(), "Watcher"));
        var (ww, _) = await watcher.LoginAsync();
        var id = PlayerInSector(ww.SectorId);
        var client = fixture.NewClient(token: Token(id, "Dropper"));
        var (welcome, _) = await client.LoginAsync();
        await client.FlyToAsync(321, 654);
        await client.CloseAbruptlyAsync();
        await client.DisposeAsync();

        await watcher.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == id && !s.Connected) == true, Wait);

        await using var resumed = new GameClient(new GameClientOptions
        {
            Endpoints = [fixture.EndpointText],
            ResumeToken = welcome.ResumeToken,
            AutoReconnect = false,
        });
        var (again, snapshot) = await resumed.LoginAsync();
        Assert.Equal(id, again.PlayerId);
        var ship = snapshot.Ships.Single(s => s.PlayerId == id);
        Assert.True(ship.Connected);
        Assert.Equal(321f, ship.X, 1);
        Assert.Equal(654f, ship.Y, 1);
        await watcher.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == id && s.Connected) == true, Wait);
    }

    [Fact]
    public async Task Ship_is_gone_after_the_grace()
    {
        await using var watcher = fixture.NewClient(token: Token(NewName(), "Watcher"));
        var (ww, _) = await watcher.LoginAsync();
        var id = PlayerInSector(ww.SectorId);
        var client = fixture.NewClient(token: Token(id, "Gone"));
        await client.LoginAsync();
        await client.CloseAbruptlyAsync();
        await client.DisposeAsync();

        // Grace is 3 s in this fixture; the removal must come, and not before the ship showed as disconnected.
        await watcher.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == id && !s.Connected) == true, Wait);
        await watcher.NextAsync(m => m.Delta?.RemovedShips.Contains(id) == true, Wait);
    }

    [Fact]
    public async Task Second_login_replaces_the_first_session()
    {
        var id = NewName();
        await using var first = fixture.NewClient(token: Token(id, "Twice"));
        await first.LoginAsync();
        await using var second = fixture.NewClient(token: Token(id, "Twice"));
        await second.LoginAsync();

        var replaced = await first.NextAsync(m => m.Error is not null, Wait);
        replaced.ExpectError(ErrorCode.SessionReplaced, fatal: true);
        var pong = await second.RequestAsync(Ping(42));
        Assert.NotNull(pong.Pong);
    }

    private static string TokenFromAnotherServer(string id) =>
        AkkaGame.Node.Auth.TokenService.FromSecret("some-other-servers-secret-value").MintPlayerToken(id, "Mallory", TimeSpan.FromHours(1));
}
