using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akkagame.V1;
using AkkaGame.Node.Sessions;
using AkkaGame.Protocol.Framing;
using Error = Akkagame.V1.Error;
using StreamTcp = Akka.Streams.Dsl.Tcp;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// Accepts client connections: one <see cref="SessionActor"/> and one connection stream each.
/// Parent of all sessions, so a drain reaches every one of them.
/// </summary>
public sealed class GatewayActor : ReceiveActor
{
    /// <summary>Session actors are named session-N: the materializer's StreamSupervisor is a child too, and no session.</summary>
    private const string SessionPrefix = "session-";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SessionContext _ctx;
    private readonly IMaterializer _materializer;
    private readonly HashSet<IActorRef> _closing = [];
    private readonly List<IActorRef> _drainWaiters = [];
    private bool _accepting = true;
    private long _nextSession;

    public GatewayActor(SessionContext ctx)
    {
        _ctx = ctx;
        _materializer = Context.Materializer();

        Receive<StreamTcp.IncomingConnection>(OnConnection);
        Receive<IncomingWebSocket>(OnWebSocket);
        Receive<StopAccepting>(_ =>
        {
            _accepting = false;
            Sender.Tell(Sessions().Count());
        });
        Receive<NodeShuttingDown>(n =>
        {
            foreach (var session in Sessions())
            {
                session.Tell(n);
                Context.Watch(session);
                _closing.Add(session);
            }

            if (!Sender.IsNobody())
            {
                _drainWaiters.Add(Sender);
            }

            ReplyWhenClosed();
        });
        Receive<Terminated>(t =>
        {
            _closing.Remove(t.ActorRef);
            ReplyWhenClosed();
        });
        Receive<Announce>(a =>
        {
            foreach (var session in Sessions())
            {
                session.Forward(a);
            }
        });
        Receive<CountSessions>(_ => Sender.Tell(Sessions().Count()));
        Receive<ListSessions>(_ => Sender.Tell(Sessions().ToList()));
    }

    public static Props Props(SessionContext ctx) => Akka.Actor.Props.Create(() => new GatewayActor(ctx));

    /// <summary>Stop taking connections (drain); answered with the number of open sessions.</summary>
    public sealed class StopAccepting
    {
        public static readonly StopAccepting Instance = new();
    }

    public sealed class CountSessions
    {
        public static readonly CountSessions Instance = new();
    }

    /// <summary>
    /// The answer to <see cref="NodeShuttingDown"/> once every session has sent its notice and
    /// stopped: until then the actor system must not stop, or it cuts the notice off.
    /// </summary>
    public sealed class SessionsClosed
    {
        public static readonly SessionsClosed Instance = new();
    }

    /// <summary>Answered with the session actors (a <c>List&lt;IActorRef&gt;</c>), for operators to ask each.</summary>
    public sealed class ListSessions
    {
        public static readonly ListSessions Instance = new();
    }

    private void ReplyWhenClosed()
    {
        if (_closing.Count > 0)
        {
            return;
        }

        foreach (var waiter in _drainWaiters)
        {
            waiter.Tell(SessionsClosed.Instance);
        }

        _drainWaiters.Clear();
    }

    private static IEnumerable<IActorRef> Sessions() =>
        Context.GetChildren().Where(c => c.Path.Name.StartsWith(SessionPrefix, StringComparison.Ordinal));

    /// <summary>The fatal frame a new connection gets instead of a session (draining, or at the limit), else null.</summary>
    private byte[]? Refusal()
    {
        if (_accepting && _ctx.Metrics.Connections < _ctx.Settings.Gateway.MaxConnections)
        {
            return null;
        }

        var (code, text) = _accepting
            ? (ErrorCode.ServerBusy, "this node is at its connection limit; try another")
            : (ErrorCode.ShuttingDown, "this node is shutting down; try another");
        return Frame.Encode(new ServerMessage { Error = new Error { Code = code, Message = text, Fatal = true } });
    }

    private void OnConnection(StreamTcp.IncomingConnection connection)
    {
        var g = _ctx.Settings.Gateway;
        if (Refusal() is { } refusal)
        {
            // The refusal, then the write side closes; the client's input is read and dropped for
            // the close linger (bounded in bytes), so the close cannot reset the refusal away.
            var drain = Flow.Create<Akka.IO.ByteString>()
                .TakeWithin(g.CloseLinger)
                .Scan(0L, (read, bytes) => read + bytes.Count)
                .TakeWhile(read => read <= g.CloseLingerBytes)
                .To(Sink.Ignore<long>());
            connection.HandleWith(Flow.FromSinkAndSource(drain, Source.Single(Akka.IO.ByteString.FromBytes(refusal))), _materializer);
            return;
        }

        var client = new ClientConnection(g.MaxOutboundBytes, g.MaxWriteBytes, _ctx.Metrics);
        var session = Context.ActorOf(SessionActor.Props(_ctx, client), SessionPrefix + _nextSession++);
        connection.HandleWith(client.Flow(session, g.MaxFrameBytes, g.IdleTimeout * 2), _materializer);
        _log.Debug("Connection from {0} -> {1}", connection.RemoteAddress, session.Path.Name);
    }

    /// <summary>A browser's WebSocket: the same admission, session and rules as a TCP connection.</summary>
    private void OnWebSocket(IncomingWebSocket incoming)
    {
        var g = _ctx.Settings.Gateway;
        if (Refusal() is { } refusal)
        {
            WebSocketConnection.RefuseAsync(incoming.Socket, refusal, g.CloseLinger).ContinueWith(_ => incoming.Done.TrySetResult(), TaskScheduler.Default);
            return;
        }

        var client = new ClientConnection(g.MaxOutboundBytes, g.MaxWriteBytes, _ctx.Metrics);
        var session = Context.ActorOf(SessionActor.Props(_ctx, client), SessionPrefix + _nextSession++);
        WebSocketConnection.RunAsync(incoming.Socket, client, session, g, _materializer).ContinueWith(_ => incoming.Done.TrySetResult(), TaskScheduler.Default);
        _log.Debug("WebSocket from {0} -> {1}", incoming.Remote, session.Path.Name);
    }
}
