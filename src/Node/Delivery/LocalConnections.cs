using System.Collections.Concurrent;
using Akka.Actor;
using AkkaGame.Node.Gateway;

namespace AkkaGame.Node.Delivery;

/// <summary>
/// The client connections of this node's sessions, by session actor: what lets a sector (or
/// this node's <see cref="FrameRelay"/>) write a frame straight to a client's connection instead
/// of sending one message per player through each session's mailbox. A session adds itself when
/// it starts and removes itself when it stops. An Akka extension, so sharded entities, which
/// sharding creates, can reach it.
/// </summary>
public sealed class LocalConnections : IExtension
{
    private readonly ConcurrentDictionary<IActorRef, ClientConnection> _connections = new();

    public static LocalConnections For(ActorSystem system) => system.WithExtension<LocalConnections, Provider>();

    public void Add(IActorRef session, ClientConnection connection) => _connections[session] = connection;

    public void Remove(IActorRef session) => _connections.TryRemove(session, out _);

    public bool TryGet(IActorRef session, out ClientConnection connection) => _connections.TryGetValue(session, out connection!);

    private sealed class Provider : ExtensionIdProvider<LocalConnections>
    {
        public override LocalConnections CreateExtension(ExtendedActorSystem system) => new();
    }
}
