using Akka.Actor;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using AkkaGame.Game.Configuration;
using AkkaGame.Game.Simulation;
using Akkagame.V1;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Sectors;
using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

public class SectorActorTests : TestKit
{
    private const string SectorName = "s-3-4";
    private static readonly SectorSettings Settings = new(TimeSpan.FromHours(1), TimeSpan.FromHours(1), DilationRules.Off);

    public SectorActorTests()
        : base(TestConfig.Node(TestConfig.NewDataDir(), "akka.actor.provider = local"))
    {
    }

    private IActorRef StartSector() => Sys.ActorOf(SectorActor.Props(SectorName, AkkaGame.Game.Simulation.WorldRules.Default, Settings));

    private static SectorSnapshot Join(IActorRef sector, string playerId, Akka.TestKit.TestProbe session, float? x = null, float? y = null, bool predictsMotion = false)
    {
        sector.Tell(new JoinSector(SectorName, playerId, playerId.ToUpperInvariant(), session.Ref, x, y, predictsMotion), session.Ref);
        // A probe has no connection on this node, so its frames come as DeliverFrame; the
        // snapshot comes first, then the answer to the join.
        var snapshot = session.FishForMessage<DeliverFrame>(d => ServerMessage.Parser.ParseFrom(d.Frame.AsSpan(4)).Snapshot is not null, TimeSpan.FromSeconds(10));
        session.FishForMessage<SectorJoined>(_ => true, TimeSpan.FromSeconds(10));
        return ServerMessage.Parser.ParseFrom(snapshot.Frame.AsSpan(4)).Snapshot;
    }

    private static void Chat(IActorRef sector, Akka.TestKit.TestProbe session, string playerId, uint seq, string text)
    {
        sector.Tell(new PostChat(SectorName, playerId, seq, text), session.Ref);
        session.FishForMessage<DeliverFrame>(d => ServerMessage.Parser.ParseFrom(d.Frame.AsSpan(4)) is { Chat: not null } m && m.Ack == seq, TimeSpan.FromSeconds(10));
    }

    private static Task<SectorInfo> InfoAsync(IActorRef sector) =>
        sector.Ask<SectorInfo>(new GetSectorInfo(SectorName), TimeSpan.FromSeconds(10));

    private void StopAndWait(IActorRef sector, object how)
    {
        Watch(sector);
        sector.Tell(how);
        ExpectTerminated(sector, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Sector_recovers_exactly_from_snapshot_plus_events()
    {
        var session = CreateTestProbe();
        var sector = StartSector();
        var first = Join(sector, "p1", session, 400, 400);
        var asteroid = first.Asteroids[0];
        Join(sector, "miner", session, asteroid.X, asteroid.Y);
        sector.Tell(new MineAsteroid(SectorName, "miner", 5, asteroid.Id), session.Ref);
        session.FishForMessage<MineApproved>(_ => true, TimeSpan.FromSeconds(10));
        Chat(sector, session, "p1", 1, "before the snapshot");

        // Stop snapshots the state (as passivation and hand-off do)...
        StopAndWait(sector, Messages.Stop.Instance);

        // ...then a new incarnation adds events after that snapshot and dies without one.
        sector = StartSector();
        Chat(sector, session, "p1", 2, "after the snapshot 1");
        Chat(sector, session, "p1", 3, "after the snapshot 2");
        var before = await InfoAsync(sector);
        StopAndWait(sector, PoisonPill.Instance);

        sector = StartSector();
        var after = await InfoAsync(sector);
        Assert.Equal(3UL, after.LastChatId);
        Assert.Equal(before.AsteroidList, after.AsteroidList);
        Assert.Equal((int)asteroid.Ore - 10, after.AsteroidList.Single(a => a.Id == asteroid.Id).Ore);
        Assert.Equal(
            before.ShipList.Select(s => (s.PlayerId, s.X, s.Y)).Order(),
            after.ShipList.Select(s => (s.PlayerId, s.X, s.Y)).Order());
        Assert.All(after.ShipList, s => Assert.False(s.Connected));

        var snapshot = Join(sector, "p2", CreateTestProbe());
        Assert.Equal(
            ["before the snapshot", "after the snapshot 1", "after the snapshot 2"],
            snapshot.RecentChat.Select(c => c.Text).ToArray());
        Assert.Equal(new ulong[] { 1, 2, 3 }, snapshot.RecentChat.Select(c => c.Id).ToArray());
    }

    [Fact]
    public void A_player_who_predicts_motion_is_sent_a_flying_ship_when_it_starts_only_until_it_joins_again_without()
    {
        var sector = StartSector();
        var seer = CreateTestProbe();
        var mover = CreateTestProbe();
        Join(sector, "seer", seer, 100, 100, predictsMotion: true);
        Join(sector, "mover", mover, 100, 200);

        // 800 units at 100 a second: eight seconds of flight, a delta every tick.
        sector.Tell(new MoveShip(SectorName, "mover", 1, 900, 200), mover.Ref);
        var told = NextDeltas(seer, 12);
        var start = told.FindIndex(d => d.Ships.Any(s => s.PlayerId == "mover" && s.Vx > 0));
        Assert.InRange(start, 0, 2);
        Assert.Equal(100f, told[start].Ships.Single(s => s.PlayerId == "mover").Vx, 3);
        Assert.All(told.Skip(start + 1), d => Assert.DoesNotContain(d.Ships, s => s.PlayerId == "mover"));

        // The same player back through a client that does not predict: every step again.
        var plain = CreateTestProbe();
        Join(sector, "seer", plain, predictsMotion: false);
        Assert.All(NextDeltas(plain, 5), d => Assert.Contains(d.Ships, s => s.PlayerId == "mover"));
    }

    /// <summary>The next <paramref name="count"/> deltas a session is sent.</summary>
    private static List<SectorDelta> NextDeltas(Akka.TestKit.TestProbe session, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => ServerMessage.Parser.ParseFrom(
            session.FishForMessage<DeliverFrame>(d => ServerMessage.Parser.ParseFrom(d.Frame.AsSpan(4)).Delta is not null, TimeSpan.FromSeconds(10)).Frame.AsSpan(4)).Delta)];

    [Fact]
    public async Task Passivated_sector_comes_back_with_its_state()
    {
        var session = CreateTestProbe();
        var sector = StartSector();
        Join(sector, "p1", session, 123, 456);
        sector.Tell(new MoveShip(SectorName, "p1", 9, 700, 456), session.Ref);
        await AwaitAssertAsync(
            async () => Assert.True((await InfoAsync(sector)).ShipList.Single().X > 130),
            TimeSpan.FromSeconds(10));
        var before = await InfoAsync(sector);
        StopAndWait(sector, Messages.Stop.Instance);

        sector = StartSector();
        var after = await InfoAsync(sector);
        var ship = Assert.Single(after.ShipList);
        Assert.Equal("p1", ship.PlayerId);
        Assert.Equal(before.ShipList.Single().X, ship.X);
        Assert.True(after.Tick >= before.Tick);
    }

    [Fact]
    public async Task Chat_is_broadcast_to_every_session_in_the_sector_only_after_it_is_stored()
    {
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        var sector = StartSector();
        Join(sector, "pa", a);
        Join(sector, "pb", b);
        Chat(sector, a, "pa", 4, "hi all");
        var seenByB = b.FishForMessage<DeliverFrame>(d => ServerMessage.Parser.ParseFrom(d.Frame.AsSpan(4)).Chat is not null, TimeSpan.FromSeconds(10));
        var line = ServerMessage.Parser.ParseFrom(seenByB.Frame.AsSpan(4));
        Assert.Equal(0u, line.Ack);
        Assert.Equal("hi all", line.Chat.Text);
        Assert.Equal("PA", line.Chat.FromName);

        // Stored: a fresh incarnation has it.
        StopAndWait(sector, PoisonPill.Instance);
        Assert.Equal(1UL, (await InfoAsync(StartSector())).LastChatId);
    }

    [Fact]
    public async Task A_sector_over_its_tick_budget_dilates_ticks_slower_and_still_applies_every_input()
    {
        // Any tick work is over a budget this small: the sector goes to its floor, a quarter speed.
        var overloaded = Settings with { Dilation = new DilationRules(MaxTickShare: 1e-9, Floor: 0.25, Smoothing: 1, RecoveryPerTick: 0.02) };
        var sector = Sys.ActorOf(SectorActor.Props(SectorName, AkkaGame.Game.Simulation.WorldRules.Default, overloaded));
        var session = CreateTestProbe();
        Join(sector, "p1", session, 100, 100);

        var dilated = session.FishForMessage<DeliverFrame>(d => ServerMessage.Parser.ParseFrom(d.Frame.AsSpan(4)).Delta is { TimeDilation: 0.25f }, TimeSpan.FromSeconds(10));
        Assert.NotNull(dilated);

        // A quarter of 20 Hz: about 5 ticks a second instead of 20, so ten ticks take about 2 s
        // (0.5 s at full speed): between 2.5 and 8 a second, as counted.
        var before = await InfoAsync(sector);
        Assert.Equal(0.25f, before.TimeDilation);
        var counting = System.Diagnostics.Stopwatch.StartNew();
        while ((await InfoAsync(sector)).Tick < before.Tick + 10 && counting.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        Assert.InRange(counting.Elapsed, TimeSpan.FromSeconds(1.25), TimeSpan.FromSeconds(4));

        // No input is dropped for load: the move is applied and acknowledged in a delta.
        sector.Tell(new MoveShip(SectorName, "p1", 9, 300, 100), session.Ref);
        session.FishForMessage<DeliverFrame>(
            d => ServerMessage.Parser.ParseFrom(d.Frame.AsSpan(4)).Delta is { } delta && delta.Ships.Any(s => s.PlayerId == "p1" && s.LastInputSeq == 9 && s.Vx > 0),
            TimeSpan.FromSeconds(10));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(5000f)]
    public void A_crowd_too_big_for_one_frame_reaches_a_player_in_frames_within_the_limit(float interestRadius)
    {
        // 30 ships of about 40 bytes each make 1.2 KB snapshots and deltas: over a 600-byte limit.
        const int limit = 600;
        var sector = Sys.ActorOf(SectorActor.Props(SectorName, AkkaGame.Game.Simulation.WorldRules.Default, Settings with { MaxFrameBytes = limit, InterestRadius = interestRadius }));
        var crowd = CreateTestProbe();
        for (var i = 1; i < 30; i++)
        {
            sector.Tell(new JoinSector(SectorName, $"p{i}", $"P{i}", crowd.Ref, 100 + (i * 10), 100), crowd.Ref);
            sector.Tell(new MoveShip(SectorName, $"p{i}", 1, 900, 100 + (i * 20)), crowd.Ref);
        }

        var watcher = CreateTestProbe();
        sector.Tell(new JoinSector(SectorName, "p0", "P0", watcher.Ref, 100, 100), watcher.Ref);

        // The snapshot and the deltas of its tick that complete it: every ship, each frame within the limit.
        var frames = new List<ServerMessage>();
        var known = new HashSet<string>();
        while (known.Count < 30)
        {
            var frame = watcher.ExpectMsg<DeliverFrame>(TimeSpan.FromSeconds(10)).Frame;
            Assert.InRange(frame.Length - 4, 1, limit);
            var message = ServerMessage.Parser.ParseFrom(frame.AsSpan(4));
            frames.Add(message);
            known.UnionWith((message.Snapshot?.Ships ?? message.Delta.Ships).Select(s => s.PlayerId));
        }

        Assert.NotNull(frames[0].Snapshot);
        Assert.All(frames.Skip(1), m => Assert.Equal(frames[0].Snapshot.Tick, m.Delta.Tick));

        // A tick's delta with every ship moving comes in pieces within the limit, together holding all that moved.
        var ticks = new Dictionary<ulong, HashSet<string>>();
        while (!ticks.Values.Any(t => t.Count >= 29))
        {
            if (watcher.ExpectMsg<object>(TimeSpan.FromSeconds(10)) is not DeliverFrame deliver)
            {
                continue;
            }

            Assert.InRange(deliver.Frame.Length - 4, 1, limit);
            var delta = ServerMessage.Parser.ParseFrom(deliver.Frame.AsSpan(4)).Delta;
            if (!ticks.TryGetValue(delta.Tick, out var ships))
            {
                ticks[delta.Tick] = ships = [];
            }

            ships.UnionWith(delta.Ships.Select(s => s.PlayerId));
        }
    }

    [Fact]
    public async Task A_crowd_whose_deltas_are_delivered_in_time_does_not_dilate_however_big_each_delta()
    {
        // Every delta of these 25 moving ships is over the behind bound (64 bytes), but each
        // connection's stream takes it at once: nothing is left from one tick to the next.
        var settings = Settings with { Dilation = new DilationRules(0.5, 0.1, 0.2, 0.02, 0.1), BehindBytes = 64 };
        var sector = Sys.ActorOf(SectorActor.Props(SectorName, AkkaGame.Game.Simulation.WorldRules.Default, settings));
        var materializer = Sys.Materializer();
        for (var i = 0; i < 25; i++)
        {
            var session = CreateTestProbe();
            var connection = new AkkaGame.Node.Gateway.ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 64 * 1024);
            AkkaGame.Node.Gateway.LocalConnections.For(Sys).Add(session.Ref, connection);
            _ = connection.Outbound(Sys).RunWith(Akka.Streams.Dsl.Sink.Ignore<Akka.IO.ByteString>(), materializer);
            sector.Tell(new JoinSector(SectorName, $"p{i}", $"P{i}", session.Ref, 20 + (i * 30), 50), session.Ref);
            sector.Tell(new MoveShip(SectorName, $"p{i}", 1, 20 + (i * 30), 950), session.Ref);
        }

        // 40 ticks of flying: the clock does not slow. (Counted as behind, every connection would
        // slow it by 5% a tick, below 0.75 within six ticks; a busy test host may leave a few
        // deliveries late for a tick or two.)
        var until = (await InfoAsync(sector)).Tick + 40;
        var slowest = 1f;
        await AwaitConditionAsync(
            async () =>
            {
                var info = await InfoAsync(sector);
                slowest = Math.Min(slowest, info.TimeDilation);
                return info.Tick >= until;
            },
            TimeSpan.FromSeconds(20));
        Assert.InRange(slowest, 0.75f, 1f);
    }

    [Fact]
    public async Task A_crowd_its_node_cannot_deliver_to_dilates_the_sector_which_speeds_up_again_once_delivered()
    {
        // Light ticks (no work budget is passed), but 25 players whose connections nobody reads.
        var settings = Settings with { Dilation = new DilationRules(0.5, 0.1, 0.2, 0.02, 0.1), BehindBytes = 2048 };
        var sector = Sys.ActorOf(SectorActor.Props(SectorName, AkkaGame.Game.Simulation.WorldRules.Default, settings));
        var connections = new List<AkkaGame.Node.Gateway.ClientConnection>();
        for (var i = 0; i < 25; i++)
        {
            var session = CreateTestProbe();
            var connection = new AkkaGame.Node.Gateway.ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 64 * 1024);
            AkkaGame.Node.Gateway.LocalConnections.For(Sys).Add(session.Ref, connection);
            connections.Add(connection);
            sector.Tell(new JoinSector(SectorName, $"p{i}", $"P{i}", session.Ref, 20 + (i * 30), 50), session.Ref);
            sector.Tell(new MoveShip(SectorName, $"p{i}", 1, 20 + (i * 30), 950), session.Ref);
        }

        await AwaitConditionAsync(async () => (await InfoAsync(sector)).TimeDilation < 0.9f, TimeSpan.FromSeconds(10));

        // The node delivers again (every connection drains): the sector returns to full speed by itself.
        var materializer = Sys.Materializer();
        foreach (var connection in connections)
        {
            _ = connection.Outbound(Sys).RunWith(Akka.Streams.Dsl.Sink.Ignore<Akka.IO.ByteString>(), materializer);
        }

        await AwaitConditionAsync(async () => (await InfoAsync(sector)).TimeDilation >= 1f, TimeSpan.FromSeconds(20));
    }
}
