using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using AkkaGame.Game.Frames;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

/// <summary>
/// A sector's frames reach its players' connections without one message per player: straight
/// to a connection on the same node, one relay message per other node, and through the
/// session's mailbox only when its connection is not known here.
/// </summary>
public sealed class FrameDeliveryTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    public FrameDeliveryTests()
        : base(TestConfig.Node(TestConfig.NewDataDir()))
    {
    }

    [Fact]
    public async Task A_frame_for_a_session_of_this_node_is_written_to_its_connection_not_sent_to_the_session()
    {
        var session = CreateTestProbe();
        var connection = new ClientConnection(1024, 1024);
        LocalConnections.For(Sys).Add(session.Ref, connection);
        var written = connection.Outbound(Sys).RunWith(Sink.First<ByteString>(), Sys.Materializer());

        new FrameDelivery(Sys).Send([1, 2, 3], [session.Ref]);

        Assert.Equal(new byte[] { 1, 2, 3 }, (await written.WaitAsync(Wait)).ToArray());
        session.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_full_connection_makes_its_session_abort_it_and_a_closed_one_drops_the_frame()
    {
        var full = CreateTestProbe();
        var fullConnection = new ClientConnection(maxQueuedBytes: 4, maxWriteBytes: 1024);
        LocalConnections.For(Sys).Add(full.Ref, fullConnection);
        var closed = CreateTestProbe();
        var closedConnection = new ClientConnection(1024, 1024);
        closedConnection.WriteFinal([0]);
        LocalConnections.For(Sys).Add(closed.Ref, closedConnection);

        new FrameDelivery(Sys).Send(new byte[8], [full.Ref, closed.Ref]);

        full.ExpectMsg<OutboundFull>(Wait);
        Assert.Equal(0, fullConnection.QueuedBytes);
        closed.ExpectNoMsg(Quiet);
        Assert.Equal(1, closedConnection.QueuedBytes);
    }

    [Fact]
    public void A_session_whose_connection_is_not_known_here_gets_the_frame_in_its_mailbox()
    {
        var session = CreateTestProbe();

        new FrameDelivery(Sys).Send([4, 5], session.Ref);

        Assert.Equal(new byte[] { 4, 5 }, session.ExpectMsg<DeliverFrame>(Wait).Frame);
    }

    [Fact]
    public async Task Sessions_on_another_node_get_the_frame_through_that_nodes_relay()
    {
        var other = ActorSystem.Create(Sys.Name, TestConfig.Node(TestConfig.NewDataDir()));
        try
        {
            other.ActorOf(FrameRelay.Props(), FrameRelay.Name);
            var connections = new[] { new ClientConnection(1024, 1024), new ClientConnection(1024, 1024) };
            var sessions = new List<IActorRef>();
            foreach (var connection in connections)
            {
                var session = other.ActorOf(Props.Create(() => new Silent()));
                LocalConnections.For(other).Add(session, connection);
                var address = ((ExtendedActorSystem)other).Provider.DefaultAddress;
                sessions.Add(await Sys.ActorSelection(session.Path.ToStringWithAddress(address)).ResolveOne(Wait));
            }

            Assert.All(sessions, s => Assert.False(s.Path.Address.HasLocalScope));
            var written = connections.Select(c => c.Outbound(other).RunWith(Sink.First<ByteString>(), other.Materializer())).ToList();

            new FrameDelivery(Sys).Send([6, 7, 8], sessions);

            foreach (var frame in written)
            {
                Assert.Equal(new byte[] { 6, 7, 8 }, (await frame.WaitAsync(Wait)).ToArray());
            }
        }
        finally
        {
            await other.Terminate();
        }
    }

    /// <summary>Behind past 64 bytes queued, resumed at 32, bound 256; a stall is 300 ms without progress.</summary>
    private static readonly ConflationRules Conflating = new(BehindBytes: 64, BoundBytes: 256, StallTimeout: TimeSpan.FromMilliseconds(300));

    [Fact]
    public void With_conflation_a_connection_behind_gets_no_deltas_and_a_fresh_snapshot_once_drained()
    {
        var session = CreateTestProbe();
        var connection = new ClientConnection(maxQueuedBytes: 256, maxWriteBytes: 1024);
        LocalConnections.For(Sys).Add(session.Ref, connection);
        var delivery = new FrameDelivery(Sys, Conflating);

        // The first delta is queued (100 bytes); the client reads nothing, so it is behind.
        Assert.Equal(0, delivery.SendDelta([new byte[100]], [session.Ref]));
        Assert.Equal(1, delivery.SendDelta([new byte[100]], [session.Ref]));
        Assert.Equal(1, delivery.SendDelta([new byte[50], new byte[50]], [session.Ref]));
        Assert.Equal(100, connection.QueuedBytes);
        Assert.True(delivery.AnyBehind);
        Assert.False(delivery.TryResume(session.Ref));

        // It reads: drained, it is resumed once, and the caller's snapshot goes first, then deltas again.
        Assert.True(connection.TryTake(out _));
        Assert.True(delivery.TryResume(session.Ref));
        Assert.False(delivery.AnyBehind);
        delivery.SendSnapshot([new byte[40]], session.Ref);
        Assert.Equal(0, delivery.SendDelta([new byte[10]], [session.Ref]));
        Assert.Equal(50, connection.QueuedBytes);
        session.ExpectNoMsg(Quiet);
    }

    [Fact]
    public async Task With_conflation_a_behind_connection_that_takes_nothing_for_the_stall_timeout_is_aborted_by_its_session()
    {
        var session = CreateTestProbe();
        var connection = new ClientConnection(maxQueuedBytes: 256, maxWriteBytes: 1024);
        LocalConnections.For(Sys).Add(session.Ref, connection);
        var delivery = new FrameDelivery(Sys, Conflating);

        // A snapshot that does not fit makes it behind, not full.
        delivery.SendSnapshot([new byte[300]], session.Ref);
        Assert.True(delivery.AnyBehind);
        Assert.Equal(1, delivery.SendDelta([new byte[10]], [session.Ref]));
        session.ExpectNoMsg(Quiet);

        await Task.Delay(TimeSpan.FromMilliseconds(50));
        delivery.SendDelta([new byte[10]], [session.Ref]);
        session.ExpectMsg<OutboundFull>(Wait);
    }

    [Fact]
    public void A_relay_conflates_deltas_and_asks_the_sector_for_a_snapshot_once_its_client_has_drained()
    {
        var sector = CreateTestProbe();
        var session = CreateTestProbe();
        var connection = new ClientConnection(maxQueuedBytes: 256, maxWriteBytes: 1024);
        LocalConnections.For(Sys).Add(session.Ref, connection);
        var relay = Sys.ActorOf(FrameRelay.Props(Conflating));
        void Relay(int bytes, RelayedFrame kind) => relay.Tell(new RelayFrame(new byte[bytes], [session.Ref], kind), sector.Ref);

        // Behind after the first delta; the next are skipped; a chat line (an event) is always written.
        Relay(100, RelayedFrame.Delta);
        Relay(100, RelayedFrame.Delta);
        Relay(7, RelayedFrame.Event);
        AwaitAssert(() => Assert.Equal(107, connection.QueuedBytes), Wait);

        // Drained: the next delta asks the sector for a fresh snapshot instead of being written, and
        // deltas skip the client until the snapshot comes; after it, deltas go on.
        Assert.True(connection.TryTake(out _));
        Assert.True(connection.TryTake(out _));
        Relay(10, RelayedFrame.Delta);
        Assert.Equal(session.Ref, sector.ExpectMsg<CatchUp>(Wait).Session);
        Relay(10, RelayedFrame.Delta);
        Relay(30, RelayedFrame.Snapshot);
        Relay(5, RelayedFrame.Delta);
        AwaitAssert(() => Assert.Equal(35, connection.QueuedBytes), Wait);
        sector.ExpectNoMsg(Quiet);
        session.ExpectNoMsg(Quiet);
    }

    /// <summary>A session of the other node that must not be needed: its frames go to its connection.</summary>
    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(m => throw new InvalidOperationException($"the session got {m}; the relay should have written to its connection"));
    }
}
