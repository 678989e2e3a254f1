using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
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

    /// <summary>A session of the other node that must not be needed: its frames go to its connection.</summary>
    private sealed class Silent : ReceiveActor
    {
        public Silent() => ReceiveAny(m => throw new InvalidOperationException($"the session got {m}; the relay should have written to its connection"));
    }
}
