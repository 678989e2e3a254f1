using Akkagame.V1;
using AkkaGame.Bench.PeerCommon;
using AkkaGame.Bench.Tests.Support;
using AkkaGame.Protocol.Client;
using AkkaGame.TestSupport;
using Xunit;
using static AkkaGame.TestSupport.ClientSteps;

namespace AkkaGame.Bench.Tests;

/// <summary>
/// The shared protocol-flow contract (tests/TestSupport/ProtocolFlowContract.cs, the same tests the
/// node passes) run against every peer, plus what only a peer fixture checks: no fault hidden
/// in its log, and stopping it tells clients it is shutting down.
/// </summary>
public abstract class PeerFlowTests(PeerFixture peer) : ProtocolFlowContract(peer), IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A peer that hid an exception to keep going failed all the same.</summary>
    public Task DisposeAsync()
    {
        Assert.Equal(0, peer.Faults.Count);
        return Task.CompletedTask;
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

    [Fact]
    public async Task What_the_client_is_told_was_stored_is_in_the_peers_store_before_the_answer()
    {
        await using var client = peer.NewClient(NewName());
        var (welcome, snapshot) = await client.LoginAsync();
        var me = welcome.PlayerId;
        var afterLogin = peer.Stored(me).Count;
        Assert.True(afterLogin >= 1, "the registration was not stored before Welcome");

        var asteroid = snapshot.Asteroids[0];
        await client.FlyToAsync(asteroid.X, asteroid.Y);
        var credits = (await client.RequestAsync(Mine(asteroid.Id))).Credits;
        Assert.NotNull(credits);
        Assert.True(peer.Stored(me).Count > afterLogin, "the credit was not stored before Credits");

        // The chat line is stored before it is broadcast (its ack is the broadcast's copy).
        var line = (await client.RequestAsync(Chat("stored before told"))).Chat;
        Assert.NotNull(line);
        Assert.Contains(PeerStore.ReadMatching(Path.Combine(peer.Settings.StoreDirectory!, "peer.db"), welcome.SectorId),
            row => row.Data.Contains("stored before told", StringComparison.Ordinal) || row.Kind == "state");
    }
}

public sealed class ThreadPerClientFlowTests(ThreadPerClientPeer peer) : PeerFlowTests(peer), IClassFixture<ThreadPerClientPeer>;

public sealed class RawAsyncFlowTests(RawAsyncPeer peer) : PeerFlowTests(peer), IClassFixture<RawAsyncPeer>;

public sealed class OrleansFlowTests(OrleansPeer peer) : PeerFlowTests(peer), IClassFixture<OrleansPeer>;
