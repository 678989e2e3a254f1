using Akka.Cluster;
using Akkagame.V1;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Monitoring;
using AkkaGame.Node.Tests.Support;
using AkkaGame.Protocol.Client;
using Xunit;
using static AkkaGame.TestSupport.ClientSteps;

namespace AkkaGame.Node.Tests.Integration;

/// <summary>
/// Conflation over real TCP (docs/crowds.md): in a sector of 20 players flying about, a client
/// that stops reading for a few seconds falls behind. With conflation on, it gets no deltas
/// while behind and, once it reads again, one fresh SectorSnapshot and deltas after it; it is
/// not dropped (the pause is shorter than the stall timeout). One that never reads again is
/// dropped after the stall timeout. <see cref="NoConflationTests"/> runs the same pause with
/// conflation off: the client is dropped as a slow consumer, so the first test cannot pass
/// without conflation. <see cref="RelayedConflationTests"/> pauses a client connected through
/// another node than its sector's.
/// </summary>
public sealed class ConflationTests(ConflationTests.OnNode fixture) : IClassFixture<ConflationTests.OnNode>
{
    [Fact]
    public async Task A_client_that_pauses_reading_gets_a_fresh_snapshot_instead_of_being_dropped()
    {
        await using var crowd = await MovingCrowd.StartAsync(fixture.Node);
        await crowd.PausedReaderCatchesUpAsync(fixture.Node);
    }

    [Fact]
    public async Task A_client_that_stops_reading_for_good_is_dropped_after_the_stall_timeout()
    {
        await using var crowd = await MovingCrowd.StartAsync(fixture.Node);
        await using var reader = await crowd.JoinAsync(fixture.Node);
        var started = DateTime.UtcNow;

        // It never reads again (it pings, so it is not idle): its socket fills, it falls behind,
        // takes nothing for the stall timeout (6 s here) and the server drops it.
        using var stop = new CancellationTokenSource();
        var keepAlive = reader.KeepAliveAsync(TimeSpan.FromMilliseconds(500), stop.Token);
        var serverPort = fixture.Endpoint.Port;
        HashSet<int> port = [reader.LocalPort];
        while (TcpTable.EstablishedTo(serverPort, port) > 0 && DateTime.UtcNow - started < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(200);
        }

        var after = DateTime.UtcNow - started;
        await stop.CancelAsync();
        await keepAlive;
        Assert.Equal(0, TcpTable.EstablishedTo(serverPort, port));
        Assert.True(after >= TimeSpan.FromSeconds(6), $"dropped after {after}: before the stall timeout");
        await reader.ExpectClosedAsync(Wait);
    }

    /// <summary>A 16 KiB outbound bound (behind at 4 KiB) and small socket buffers, so a pause of seconds fills them; a stall timeout of 6 s, past the pause.</summary>
    public sealed class OnNode : NodeFixture
    {
        protected override string Hocon => MovingCrowd.Conflating;
    }
}

/// <summary>The pause of <see cref="ConflationTests"/> with conflation off: the client is dropped (SLOW_CONSUMER), as before conflation.</summary>
public sealed class NoConflationTests(NoConflationTests.OffNode fixture) : IClassFixture<NoConflationTests.OffNode>
{
    [Fact]
    public async Task Without_conflation_a_client_that_pauses_reading_is_dropped_as_a_slow_consumer()
    {
        await using var crowd = await MovingCrowd.StartAsync(fixture.Node);
        var (reader, _) = await crowd.PauseReadingAsync(fixture.Node, TimeSpan.FromSeconds(3));

        // Dropped (SLOW_CONSUMER is attempted, but the client was not reading: it may find a reset).
        await reader.ExpectClosedAsync(Wait);
    }

    public sealed class OffNode : NodeFixture
    {
        protected override string Hocon => MovingCrowd.SmallBuffers + "akkagame.sector.conflation = off\n";
    }
}

/// <summary>
/// The pause of <see cref="ConflationTests"/> for a client connected through the other node of a
/// two-node cluster than the one its sector runs on: that node's relay skips its deltas while it
/// is behind, asks the sector for a fresh snapshot once it has drained, and the client plays on.
/// </summary>
public sealed class RelayedConflationTests(RelayedConflationTests.TwoNodes nodes) : IClassFixture<RelayedConflationTests.TwoNodes>
{
    [Fact]
    public async Task A_client_on_another_node_than_its_sector_that_pauses_reading_gets_a_fresh_snapshot_instead_of_being_dropped()
    {
        await using var crowd = await MovingCrowd.StartAsync(nodes.A);
        var sectorNode = await Eventually(() => nodes.Both.FirstOrDefault(n => SectorLoads.Get(n.System).All().Any(l => l.SectorId == crowd.SectorId)));
        var other = nodes.Both.Single(n => n != sectorNode);
        await crowd.PausedReaderCatchesUpAsync(other);
    }

    private static async Task<GameNode> Eventually(Func<GameNode?> find)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            if (find() is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "the crowd's sector runs on neither node");
            await Task.Delay(100);
        }
    }

    /// <summary>Two nodes of one cluster on one database, with the small buffers of <see cref="ConflationTests"/>.</summary>
    public sealed class TwoNodes : IAsyncLifetime
    {

        public GameNode A { get; private set; } = null!;

        public GameNode B { get; private set; } = null!;

        public IReadOnlyList<GameNode> Both => [A, B];

        public async Task InitializeAsync()
        {
            var db = $"Data Source={Path.Combine(TestConfig.NewDataDir(), "akkagame.db")}";
            A = await GameNode.StartAsync(TestConfig.Node(TestConfig.NewDataDir(), MovingCrowd.Conflating, "--db", db));
            var seed = Cluster.Get(A.System).SelfAddress.ToString();
            B = await GameNode.StartAsync(TestConfig.Node(TestConfig.NewDataDir(), MovingCrowd.Conflating, "--db", db, "--seeds", seed));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (Both.Any(n => Cluster.Get(n.System).State.Members.Count(m => m.Status == MemberStatus.Up) < 2))
            {
                Assert.True(DateTime.UtcNow < deadline, "the two nodes did not form a cluster within 30 s");
                await Task.Delay(100);
            }
        }

        public async Task DisposeAsync() => await Task.WhenAll(A.DisposeAsync().AsTask(), B.DisposeAsync().AsTask());
    }
}

/// <summary>
/// 20 players in one sector, each flying back and forth across it (a delta every tick of about
/// 1 KB), and raw connections that join them and read, or do not.
/// </summary>
public sealed class MovingCrowd : IAsyncDisposable
{
    public const int Movers = 20;

    public const string SmallBuffers = """
        akkagame.gateway.max-outbound-bytes = 16KiB
        akkagame.gateway.max-write-bytes = 4KiB
        akkagame.gateway.socket-send-buffer = 4096

        """;

    /// <summary>The small buffers, with a stall timeout of 6 s: past the 3 s pause, within a test's patience.</summary>
    public const string Conflating = SmallBuffers + "akkagame.sector.stall-timeout = 6s\n";

    private readonly List<GameClient> _movers = [];
    private readonly List<RawConnection> _readers = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _flying = Task.CompletedTask;

    private MovingCrowd(string sectorId) => SectorId = sectorId;

    public string SectorId { get; }

    /// <summary>The movers, logged in through <paramref name="node"/> into a sector picked at random.</summary>
    public static async Task<MovingCrowd> StartAsync(GameNode node)
    {
        var sector = "s-" + Random.Shared.Next(8) + "-" + Random.Shared.Next(8);
        var crowd = new MovingCrowd(sector);
        for (var i = 0; i < Movers; i++)
        {
            var mover = new GameClient(new GameClientOptions
            {
                Endpoints = [$"127.0.0.1:{node.GameEndpoint.Port}"],
                Token = Token(node, PlayerInSector(sector), "Mover" + i),
                PingInterval = TimeSpan.FromSeconds(1),
                AutoReconnect = false,
            });
            crowd._movers.Add(mover);
            await mover.LoginAsync();
        }

        crowd._flying = crowd.FlyAsync();
        return crowd;
    }

    /// <summary>A raw connection of a new player in the crowd's sector through <paramref name="node"/>, after its Welcome and snapshot.</summary>
    public async Task<RawConnection> JoinAsync(GameNode node)
    {
        var reader = await RawConnection.ConnectAsync(node.GameEndpoint, receiveBufferSize: 4096);
        _readers.Add(reader);
        await reader.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = Token(node, PlayerInSector(SectorId), "Reader") } });
        await reader.ReadAsync(m => m.Snapshot is not null, Wait);
        return reader;
    }

    /// <summary>Joins through <paramref name="node"/>, reads deltas for a second, then reads nothing for <paramref name="pause"/>.</summary>
    public async Task<(RawConnection Reader, ulong LastTickBefore)> PauseReadingAsync(GameNode node, TimeSpan pause)
    {
        var reader = await JoinAsync(node);
        ulong lastTick = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        while (DateTime.UtcNow < until)
        {
            lastTick = (await reader.ReadAsync(m => m.Delta is not null, Wait)).Delta.Tick;
        }

        await Task.Delay(pause);
        return (reader, lastTick);
    }

    /// <summary>
    /// A client through <paramref name="node"/> pauses reading for 3 s. Once it reads again: a
    /// snapshot of the sector it is in, newer than anything before the pause, with every ship in
    /// it, then deltas that follow on from it; and it still plays.
    /// </summary>
    public async Task PausedReaderCatchesUpAsync(GameNode node)
    {
        var (reader, lastTickBefore) = await PauseReadingAsync(node, TimeSpan.FromSeconds(3));
        var snapshot = (await reader.ReadAsync(m => m.Snapshot is not null, Wait)).Snapshot;
        Assert.Equal(SectorId, snapshot.SectorId);
        Assert.True(snapshot.Tick > lastTickBefore, $"snapshot tick {snapshot.Tick}, last tick read before the pause {lastTickBefore}");
        Assert.True(snapshot.Ships.Count >= Movers + 1, $"{snapshot.Ships.Count} ships in the fresh snapshot");
        var delta = (await reader.ReadAsync(m => m.Delta is not null, Wait)).Delta;
        Assert.True(delta.Tick > snapshot.Tick);
        await reader.SendAsync(ClientMessages.Ping(77));
        Assert.NotNull(await reader.ReadAsync(m => m.Pong is not null && m.Ack == 77, Wait));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _flying;
        foreach (var reader in _readers)
        {
            await reader.DisposeAsync();
        }

        foreach (var mover in _movers)
        {
            await mover.DisposeAsync();
        }

        _stop.Dispose();
    }

    private static string Token(GameNode node, string playerId, string name) => node.Tokens.MintPlayerToken(playerId, name, TimeSpan.FromHours(1));

    /// <summary>Every mover turns around every second, so that every tick moves every ship (bounded: until disposed, at most 2 minutes).</summary>
    private async Task FlyAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        var east = true;
        try
        {
            do
            {
                for (var i = 0; i < _movers.Count; i++)
                {
                    await _movers[i].SendMoveToAsync(east ? 900 : 100, 100 + (i * 40));
                }

                east = !east;
            }
            while (DateTime.UtcNow < deadline && await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }
}
