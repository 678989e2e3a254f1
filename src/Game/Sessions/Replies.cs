using Akkagame.V1;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Framing;
using Error = Akkagame.V1.Error;

namespace AkkaGame.Game.Sessions;

/// <summary>The frames a session answers with, the node and every benchmark peer alike.</summary>
public static class Replies
{
    public static byte[] Error(uint ack, ErrorCode code, string text, bool fatal) =>
        Encode(ack, new ServerMessage { Error = new Error { Code = code, Message = text, Fatal = fatal } });

    /// <summary>A refused input (not fatal), mapped as the node maps the core's rejections.</summary>
    public static byte[] Rejected(uint ack, Rejection rejection, string reason) =>
        Error(ack, ToErrorCode(rejection), reason, fatal: false);

    public static byte[] Welcome(uint ack, PlayerView player, string resumeToken, int tickHz, string node, long serverTimeUs) =>
        Welcome(ack, player.PlayerId, player.Name, player.SectorId, player.Credits, resumeToken, tickHz, node, serverTimeUs);

    public static byte[] Welcome(uint ack, string playerId, string name, string sectorId, long credits, string resumeToken, int tickHz, string node, long serverTimeUs) =>
        Encode(ack, new ServerMessage
        {
            Welcome = new Welcome
            {
                PlayerId = playerId,
                Name = name,
                ResumeToken = resumeToken,
                SectorId = sectorId,
                TickHz = (uint)tickHz,
                ServerTimeUs = serverTimeUs,
                Node = node,
                Credits = credits,
            },
        });

    public static byte[] Announcement(string text) =>
        Encode(0, new ServerMessage { Notice = new Notice { Kind = NoticeKind.Announcement, Text = text } });

    public static byte[] Pong(uint ack, long clientTimeUs, long serverTimeUs) =>
        Encode(ack, new ServerMessage { Pong = new Pong { ClientTimeUs = clientTimeUs, ServerTimeUs = serverTimeUs } });

    public static byte[] Credits(uint ack, long balance, long delta, string reason) =>
        Encode(ack, new ServerMessage { Credits = new Credits { Balance = balance, Delta = delta, Reason = reason } });

    public static byte[] Jumped(uint ack, string fromSector, string toSector) =>
        Encode(ack, new ServerMessage { Jumped = new Jumped { FromSector = fromSector, ToSector = toSector } });

    public static byte[] Goodbye(uint ack) =>
        Encode(ack, new ServerMessage { Notice = new Notice { Kind = NoticeKind.Goodbye, Text = "goodbye" } });

    public static byte[] ShuttingDown(uint reconnectAfterMs, string text = "this server is shutting down; reconnect with your resume token") =>
        Encode(0, new ServerMessage
        {
            Notice = new Notice
            {
                Kind = NoticeKind.ShuttingDownNotice,
                Text = text,
                ReconnectAfterMs = reconnectAfterMs,
            },
        });

    public static byte[] SessionReplaced() =>
        Error(0, ErrorCode.SessionReplaced, "this player logged in on another connection", fatal: true);

    public static byte[] SlowConsumer() =>
        Error(0, ErrorCode.SlowConsumer, "the client is not reading fast enough", fatal: true);

    public static byte[] Internal(uint ack, string text) => Error(ack, ErrorCode.Internal, text, fatal: true);

    public static ErrorCode ToErrorCode(Rejection rejection) => rejection switch
    {
        Rejection.OutOfRange => ErrorCode.OutOfRange,
        Rejection.UnknownTarget => ErrorCode.UnknownTarget,
        Rejection.Cooldown => ErrorCode.Cooldown,
        _ => ErrorCode.InvalidInput,
    };

    /// <summary>
    /// The protocol's server time: wall-clock microseconds, at millisecond resolution. The core
    /// reads no clock itself; callers pass the time (<see cref="TimeProvider"/>, so tests can fix it).
    /// </summary>
    public static long ServerTimeUs(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return clock.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    }

    private static byte[] Encode(uint ack, ServerMessage message)
    {
        message.Ack = ack;
        return Frame.Encode(message);
    }
}
