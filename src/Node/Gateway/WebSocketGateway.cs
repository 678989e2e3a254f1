using System.Net;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using AkkaGame.Game.Configuration;
using AkkaGame.Operations.Endpoint;
using AkkaGame.Operations.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AkkaGame.Node.Gateway;

/// <summary>A browser's WebSocket, accepted: the gateway gives it a session (or a refusal) and completes <paramref name="Done"/> when it is over.</summary>
public sealed record IncomingWebSocket(WebSocket Socket, string Remote, TaskCompletionSource Done);

/// <summary>
/// The game gateway for browsers: the same protocol as TCP, one binary WebSocket message per
/// frame (no length prefix), into the same <see cref="GatewayActor"/>, session actor and rules.
/// Kestrel accepts the upgrade on /ws; GET / serves the page where a person plays, and /js/ the
/// JavaScript client it uses (clients/js, embedded in the node).
/// </summary>
public sealed class WebSocketGateway : IAsyncDisposable
{
    private readonly KestrelHost _host;

    private WebSocketGateway(KestrelHost host) => _host = host;

    public IPEndPoint LocalEndpoint => _host.LocalEndpoint;

    /// <summary>Where a person opens the game in a browser.</summary>
    public string PageUrl => $"http://{LocalEndpoint}/";

    /// <summary>Where a WebSocket client connects.</summary>
    public string SocketUrl => $"ws://{LocalEndpoint}/ws";

    /// <summary>A taken port leaves the node serving TCP clients only (said in the ready line).</summary>
    public static async Task<(WebSocketGateway? Gateway, string? Problem)> TryStartAsync(string host, int port, IActorRef gateway, Action<WebApplication>? pages = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        var address = ListenAddress.Parse(host, port, "ws");
        var (kestrel, problem) = await KestrelHost.TryStartAsync("WebSocket", address, port, services: null, app =>
        {
            // The protocol has its own pings and timeouts; no WebSocket-level keep-alive on top.
            app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
            app.Map("/ws", async (HttpContext http) =>
            {
                if (!http.WebSockets.IsWebSocketRequest)
                {
                    http.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await http.Response.WriteAsync("the AkkaGame WebSocket gateway: connect with a WebSocket (binary messages, one protobuf ClientMessage each)\n");
                    return;
                }

                var socket = await http.WebSockets.AcceptWebSocketAsync();
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                gateway.Tell(new IncomingWebSocket(socket, $"{http.Connection.RemoteIpAddress}:{http.Connection.RemotePort}", done));
                await done.Task;
            });
            pages?.Invoke(app);
        });
        return kestrel is null ? (null, problem) : (new WebSocketGateway(kestrel), null);
    }

    /// <summary>Stops listening; open sockets end with their sessions (the drain closes them first).</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>One WebSocket carried through a <see cref="ClientConnection"/>: frames in to the session, frames out one message each.</summary>
public static class WebSocketConnection
{
    /// <summary>
    /// Runs the socket until both directions are done: inbound messages go to the session as
    /// <see cref="InboundFrames"/> (an empty or oversized message is a bad length, as on TCP), the
    /// connection's frames go out one binary message each, and once the session completes the
    /// connection the socket sends its close (the client's unread input cannot destroy the last
    /// frame: a WebSocket close is a message after it). Aborting the connection aborts the socket.
    /// </summary>
    public static async Task RunAsync(WebSocket socket, ClientConnection connection, IActorRef session, GatewaySettings settings, IMaterializer materializer)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(settings);
        if (connection.OnAbort(_ => socket.Abort()) is not null)
        {
            socket.Abort();
        }

        var inbound = Source.From(() => ReceiveAsync(socket, settings.MaxFrameBytes))
            .WatchTermination(Keep.Right)
            .To(connection.SessionSink(session))
            .Run(materializer);
        var sending = SendAsync(socket, connection);

        // Whichever ends first (the session completed the connection, or the client went), the
        // other gets close-linger to finish: the client to read the last frame and answer the
        // close, a send blocked on a client that stopped reading to go through. Then the socket
        // goes, whatever state it is in, and the blocked send with it.
        await Task.WhenAny(sending, inbound);
        await Task.WhenAny(Task.WhenAll(sending, inbound), Task.Delay(settings.CloseLinger + TimeSpan.FromSeconds(1)));
        if (socket.State != WebSocketState.Closed)
        {
            socket.Abort();
        }

        await sending;
        socket.Dispose();
    }

    /// <summary>A refusal (SHUTTING_DOWN, SERVER_BUSY): the one frame, the close, a bounded wait for the client's close.</summary>
    public static async Task RefuseAsync(WebSocket socket, byte[] frame, TimeSpan linger)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(frame);
        using var bounded = new CancellationTokenSource(linger);
        try
        {
            await socket.SendAsync(frame.AsMemory(Protocol.Framing.Frame.HeaderBytes), WebSocketMessageType.Binary, true, bounded.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "refused", bounded.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // Gone, or not answering the close within the linger.
        }
        finally
        {
            socket.Abort();
            socket.Dispose();
        }
    }

    private static async Task SendAsync(WebSocket socket, ClientConnection connection)
    {
        try
        {
            await foreach (var message in connection.Messages())
            {
                await socket.SendAsync(message, WebSocketMessageType.Binary, true, CancellationToken.None);
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or System.Threading.Channels.ChannelClosedException)
        {
            // Aborted (slow consumer: the connection's queue ends with the abort's IOException) or
            // the client vanished: the inbound side ends the session.
        }
    }

    /// <summary>
    /// Whole messages as frames. A message past the frame bound is reported as a bad length as
    /// soon as it passes (as a TCP length header would be), never buffered: the rest of it is
    /// read and dropped while the session closes.
    /// </summary>
    private static async IAsyncEnumerable<InboundFrames> ReceiveAsync(WebSocket socket, int maxFrameBytes, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var buffer = new byte[Math.Min(maxFrameBytes, 64 * 1024) + 1];
        using var message = new MemoryStream();
        long length = 0;
        var reported = false;
        while (true)
        {
            ValueWebSocketReceiveResult part;
            try
            {
                part = await socket.ReceiveAsync(buffer.AsMemory(), ct);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Aborted or reset: the stream ends, and the session with it.
                yield break;
            }

            if (part.MessageType == WebSocketMessageType.Close)
            {
                yield break;
            }

            length += part.Count;
            if (length > maxFrameBytes)
            {
                if (!reported)
                {
                    reported = true;
                    message.SetLength(0);
                    yield return new InboundFrames([], length, part.Count);
                }
            }
            else
            {
                message.Write(buffer, 0, part.Count);
            }

            if (!part.EndOfMessage)
            {
                continue;
            }

            if (!reported)
            {
                yield return length == 0
                    ? new InboundFrames([], 0, 0)
                    : new InboundFrames([message.ToArray()], null, (int)length);
            }

            message.SetLength(0);
            length = 0;
            reported = false;
        }
    }
}
