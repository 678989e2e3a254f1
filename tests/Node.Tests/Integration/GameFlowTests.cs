using Akkagame.V1;
using AkkaGame.Node.Tests.Support;
using AkkaGame.Protocol.Client;
using AkkaGame.TestSupport;
using Xunit;
using static AkkaGame.TestSupport.ClientSteps;

namespace AkkaGame.Node.Tests.Integration;

/// <summary>
/// The whole flow of PROTOCOL.md through GameClient against a real node over TCP: the shared
/// contract (the same tests every benchmark peer passes), then what only the node does:
/// a dropped ship waits out the reconnect grace and a resume token re-attaches it.
/// </summary>
public class GameFlowTests(GameFlowNode fixture) : ProtocolFlowContract(fixture), IClassFixture<GameFlowNode>
{
    /// <summary>
    /// Inputs right behind the Hello, each in its own write, reach the session while its login is
    /// under way: none is lost or reordered, and none is served before the Welcome. The pings are
    /// answered in order, and the MoveTo between them is applied. On this node's default timeouts
    /// (a slow sector start under a busy test host must not end the connection first), and kept
    /// alive while it waits for the sector.
    /// </summary>
    [Fact]
    public async Task Inputs_in_writes_right_behind_the_Hello_are_answered_after_the_Welcome_in_order()
    {
        await using var c = await RawConnection.ConnectAsync(fixture.Endpoint);
        await c.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, GuestName = "pipelined" } });
        const uint LastPing = 21;
        for (var seq = 2u; seq <= LastPing; seq++)
        {
            await c.SendAsync(seq == 12 ? new ClientMessage { Seq = seq, MoveTo = new MoveTo { X = 400, Y = 300 } } : ClientMessages.Ping(seq));
            await Task.Delay(1); // each its own segment
        }

        using var stop = new CancellationTokenSource();
        var keepAlive = c.KeepAliveAsync(TimeSpan.FromMilliseconds(500), stop.Token); // its pings are seq 100000 and up
        var first = await c.ReadAsync(m => m.Welcome is not null || (m.Pong is not null && m.Ack < 100_000) || m.Error is not null, Wait);
        Assert.True(first.Welcome is not null, $"the first answer was not the Welcome: {first}");
        var playerId = first.Welcome.PlayerId;
        var expected = 2u;
        while (expected <= LastPing)
        {
            var pong = await c.ReadAsync(m => (m.Pong is not null && m.Ack < 100_000) || m.Error is not null, Wait);
            Assert.True(pong.Error is null, $"an error instead of the Pong for {expected}: {pong}");
            Assert.Equal(expected, pong.Ack);
            expected += expected == 11 ? 2u : 1u; // 12 is the MoveTo
        }

        await c.ReadAsync(m => (m.Delta?.Ships ?? m.Snapshot?.Ships)?.Any(s => s.PlayerId == playerId && s.LastInputSeq == 12) == true, Wait);
        await stop.CancelAsync();
        await keepAlive;
    }

    [Fact]
    public async Task Disconnect_keeps_the_ship_for_the_grace_and_resume_reattaches_it()
    {
        await using var watcher = fixture.NewClient(token: fixture.Token(NewName(), "Watcher"));
        var (ww, _) = await watcher.LoginAsync();
        var id = PlayerInSector(ww.SectorId);
        var client = fixture.NewClient(token: fixture.Token(id, "Dropper"));
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
        await using var watcher = fixture.NewClient(token: fixture.Token(NewName(), "Watcher"));
        var (ww, _) = await watcher.LoginAsync();
        var id = PlayerInSector(ww.SectorId);
        var client = fixture.NewClient(token: fixture.Token(id, "Gone"));
        await client.LoginAsync();
        await client.CloseAbruptlyAsync();
        await client.DisposeAsync();

        // Grace is 3 s in this fixture; the removal must come, and not before the ship showed as disconnected.
        await watcher.NextAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == id && !s.Connected) == true, Wait);
        await watcher.NextAsync(m => m.Delta?.RemovedShips.Contains(id) == true, Wait);
    }
}
