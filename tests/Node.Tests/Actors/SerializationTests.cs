using Akka.Actor;
using Akka.Serialization;
using Akka.TestKit.Xunit2;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Persistence.V1;
using AkkaGame.Node.Serialization;
using AkkaGame.Node.Sessions;
using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

public class SerializationTests : TestKit
{
    // The cluster provider, as on a real node: it loads Akka.Remote's serializer bindings,
    // which must not take over our persisted types.
    public SerializationTests()
        : base(TestConfig.Node(TestConfig.NewDataDir()))
    {
    }

    public static TheoryData<int> MessageIndexes() => [.. Enumerable.Range(0, Messages(ActorRefs.Nobody).Count)];

    private static List<object> Messages(IActorRef none) =>
        [
            new JoinSector("s-1-1", "p", "Ann", none, 1.5f, 2.5f),
            new JoinSector("s-1-1", "p", "Ann", none, PredictsMotion: true),
            new SectorJoined("s-1-1"),
            new MoveShip("s-1-1", "p", 3, 4, 5),
            new PostChat("s-1-1", "p", 3, "hi"),
            new MineAsteroid("s-1-1", "p", 3, "a-1"),
            new MineApproved("s-1-1", 3, 10),
            new JumpGate("s-1-1", "p", 3, "s-1-2"),
            new JumpApproved("s-1-1", 3, "s-1-2", 6, 7),
            new InputRejected(3, Akkagame.V1.ErrorCode.Cooldown, "wait"),
            new LeaveSector("s-1-1", "p"),
            new SessionLost("s-1-1", "p", none),
            new DeliverFrame([9, 9]),
            new RelayFrame([7, 7], [none, none]),
            new RelayFrame([8], [none], RelayedFrame.Delta),
            new CatchUp(none),
            new GetSectorInfo("s-1-1"),
            new AttachSession("p", "Ann", none),
            new PlayerAttached("p", "Ann", "s-1-1", 42),
            new SessionReplaced("p"),
            new DetachSession("p", none),
            new AddCredits("p", "op", 10, "mine"),
            new CreditsChanged("p", "op", 10, 10, "mine"),
            new RelocatePlayer("p", "s-2-2"),
            new PlayerRelocated("p", "s-2-2"),
            new GetPlayerInfo("p"),
            new PlayerInfo("p", "Ann", "s-1-1", 5, true),
            new NodeShuttingDown(500),
            new KickSession("cheating"),
            new Announce("maintenance at noon"),
        ];

    [Theory]
    [MemberData(nameof(MessageIndexes))]
    public void Every_message_between_nodes_round_trips_through_the_allow_listed_hyperion_serializer(int index)
    {
        var message = Messages(TestActor)[index];
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<AllowListHyperionSerializer>(serializer);
        var back = serializer.FromBinary(serializer.ToBinary(message), message.GetType());
        Assert.Equal(message.GetType(), back.GetType());
        if (message is DeliverFrame or RelayFrame)
        {
            // Records compare arrays by reference; compare their printed form instead.
            Assert.Equal(Print(message), Print(back));
        }
        else
        {
            Assert.Equal(message, back);
        }
    }

    [Fact]
    public void Sector_info_with_lists_round_trips()
    {
        var info = new SectorInfo("s-1-1", 9, 1, 1, 3, 0.5, 0.5f, new List<ShipInfo> { new("p", "Ann", 1, 2, true) }, new List<AsteroidInfo> { new("a-0", 3, 4, 990) }, 1);
        var serializer = Sys.Serialization.FindSerializerFor(info);
        var back = serializer.FromBinary<SectorInfo>(serializer.ToBinary(info));
        Assert.Equal(info.TimeDilation, back.TimeDilation);
        Assert.Equal(info.ShipList, back.ShipList);
        Assert.Equal(info.AsteroidList, back.AsteroidList);
        Assert.Equal(1, back.PredictingPlayers);
    }

    [Fact]
    public void Actor_references_travel_as_paths_and_resolve_back()
    {
        var probe = CreateTestProbe();
        var message = new AttachSession("p", "Ann", probe.Ref);
        var serializer = Sys.Serialization.FindSerializerFor(message);
        var back = serializer.FromBinary<AttachSession>(serializer.ToBinary(message));
        Assert.Equal(probe.Ref, back.Session);
    }

    [Fact]
    public void A_type_outside_the_allow_list_is_refused_on_reading()
    {
        // Bytes for a type that is not a game message, as a hostile peer might send them.
        var unrestricted = new Hyperion.Serializer();
        using var stream = new MemoryStream();
        unrestricted.Serialize(new NotAGameMessage("payload"), stream);
        var serializer = Sys.Serialization.FindSerializerFor(new GetSectorInfo("s-0-0"));
        Assert.IsType<AllowListHyperionSerializer>(serializer);
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary<object>(stream.ToArray()));
    }

    [Fact]
    public void Persisted_events_use_protobuf_with_a_versioned_manifest()
    {
        var chat = new ChatPostedV1 { Id = 7, FromPlayerId = "p", FromName = "Ann", Text = "kept", TimeUs = 123 };
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(chat);
        Assert.IsType<PersistedSerializer>(serializer);
        var manifest = serializer.Manifest(chat);
        Assert.Equal("akkagame.persisted.v1.ChatPostedV1", manifest);
        Assert.Equal(chat, serializer.FromBinary(serializer.ToBinary(chat), manifest));
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary([], "akkagame.persisted.v9.Unknown"));
    }

    [Fact]
    public void Every_persisted_type_is_bound_to_the_persisted_serializer()
    {
        var persisted = typeof(ChatPostedV1).Assembly.GetTypes()
            .Where(t => typeof(AkkaGame.Node.Persistence.IPersisted).IsAssignableFrom(t) && !t.IsInterface)
            .ToList();
        Assert.NotEmpty(persisted);
        Assert.All(persisted, t => Assert.IsType<PersistedSerializer>(Sys.Serialization.FindSerializerForType(t)));
    }

    [Fact]
    public void Old_rows_stay_readable_when_a_field_is_added()
    {
        // A V1 snapshot written before the field 'recent_operations' existed is just the
        // first three fields; protobuf reads it with the new field empty.
        var before = new PlayerSnapshotV1 { Name = "Ann", SectorId = "s-1-1", Credits = 30 };
        var bytes = Google.Protobuf.MessageExtensions.ToByteArray(before);
        var serializer = (SerializerWithStringManifest)Sys.Serialization.FindSerializerFor(before);
        var read = (PlayerSnapshotV1)serializer.FromBinary(bytes, serializer.Manifest(before));
        Assert.Equal(30, read.Credits);
        Assert.Empty(read.RecentOperations);
    }

    private static string Print(object message) => message switch
    {
        DeliverFrame d => Convert.ToHexString(d.Frame),
        RelayFrame r => Convert.ToHexString(r.Frame) + string.Join(",", r.Sessions.Select(s => s.Path.ToString())) + r.Kind,
        _ => message.ToString()!,
    };

    public sealed record NotAGameMessage(string Payload);
}
