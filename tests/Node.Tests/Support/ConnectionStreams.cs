using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit.TestActors;
using Akka.Streams.Dsl;
using AkkaGame.Node.Gateway;

namespace AkkaGame.Node.Tests.Support;

/// <summary>What a connection's stage writes towards TCP, for tests of the queue: no input, and a session that never answers.</summary>
public static class ConnectionStreams
{
    public static Source<ByteString, NotUsed> Outbound(this ClientConnection connection, ActorSystem system) =>
        Source.Never<ByteString>().Via(connection.Flow(system.ActorOf(BlackHoleActor.Props), maxFrameBytes: 1 << 20, writeBound: TimeSpan.FromMinutes(1)));
}
