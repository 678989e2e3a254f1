using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams.Dsl;
using AkkaGame.Protocol.Framing;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// Builds the stream of one client connection: bytes in are split into frames (shared
/// <see cref="FrameDecoder"/>) and handed to the session with ack-based back-pressure, so a
/// flooding client is slowed by TCP instead of filling a mailbox; bytes out come from the
/// session's <see cref="ConnectionOutbound"/>, whose kill switch sits on both directions so an
/// abort resets the connection whatever state its write side is in.
/// </summary>
public static class ConnectionFlow
{
    public static Flow<ByteString, ByteString, NotUsed> Create(IActorRef session, ConnectionOutbound outbound, int maxFrameBytes)
    {
        ArgumentNullException.ThrowIfNull(outbound);
        var decoder = new FrameDecoder(maxFrameBytes);
        var inbound = Flow.Create<ByteString>()
            .Via(outbound.KillSwitch.Flow<ByteString>())
            .Select(bytes =>
            {
                var frames = new List<byte[]>();
                var ok = decoder.Feed(bytes.ToReadOnlySpan(), frames);
                return new InboundFrames(frames, ok ? null : decoder.RejectedLength, bytes.Count);
            })
            .To(Sink.ActorRefWithAck<InboundFrames>(
                session,
                StreamInit.Instance,
                StreamAck.Instance,
                StreamCompleted.Instance,
                ex => new StreamFailed(ex)));
        return Flow.FromSinkAndSource(inbound, outbound.Source);
    }
}
