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
