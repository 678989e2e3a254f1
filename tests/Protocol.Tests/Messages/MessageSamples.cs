using Akkagame.V1;

namespace AkkaGame.Protocol.Tests.Messages;

/// <summary>
/// One message per body type, every field set to a non-default value, so a round trip that drops
/// or mangles any field shows up.
/// </summary>
internal static class MessageSamples
{
    public static readonly IReadOnlyDictionary<ClientMessage.BodyOneofCase, ClientMessage> Client =
        new Dictionary<ClientMessage.BodyOneofCase, ClientMessage>
        {
            [ClientMessage.BodyOneofCase.Hello] = new()
            {
                Seq = 1,
                Hello = new Hello { ProtocolVersion = 1, Token = "tok.sig", GuestName = "guest-ünï", ResumeToken = "resume.sig", PredictsMotion = true },
            },
            [ClientMessage.BodyOneofCase.MoveTo] = new() { Seq = 2, MoveTo = new MoveTo { X = 512.25f, Y = -0.5f } },
            [ClientMessage.BodyOneofCase.Chat] = new() { Seq = 3, Chat = new Chat { Text = "hello, sector! ✓" } },
            [ClientMessage.BodyOneofCase.Mine] = new() { Seq = 4, Mine = new Mine { AsteroidId = "a-3" } },
            [ClientMessage.BodyOneofCase.Jump] = new() { Seq = 5, Jump = new Jump { GateId = "s-1-0" } },
            [ClientMessage.BodyOneofCase.Ping] = new() { Seq = 6, Ping = new Ping { ClientTimeUs = 1_732_000_000_123_456 } },
            [ClientMessage.BodyOneofCase.Leave] = new() { Seq = uint.MaxValue, Leave = new Leave() },
        };

    public static readonly IReadOnlyDictionary<ServerMessage.BodyOneofCase, ServerMessage> Server =
        new Dictionary<ServerMessage.BodyOneofCase, ServerMessage>
        {
            [ServerMessage.BodyOneofCase.Welcome] = new()
            {
                Ack = 1,
                Welcome = new Welcome
                {
                    PlayerId = "guest-42",
                    Name = "Ada",
                    ResumeToken = "resume.sig",
                    SectorId = "s-3-4",
                    TickHz = 20,
                    ServerTimeUs = 1_732_000_000_000_001,
                    Node = "node-2",
                    Credits = 9_000_000_000,
                },
            },
            [ServerMessage.BodyOneofCase.Snapshot] = new()
            {
                Ack = 2,
                Snapshot = Snapshot(),
            },
            [ServerMessage.BodyOneofCase.Delta] = new()
            {
                Ack = 3,
                Delta = new SectorDelta
                {
                    SectorId = "s-0-7",
                    Tick = 1UL << 40,
                    Ships = { Ship("p-1"), Ship("p-2") },
                    RemovedShips = { "p-3", "p-4" },
                    Asteroids = { new Asteroid { Id = "a-1", X = 10.5f, Y = 20.25f, Ore = 990 } },
                    TimeDilation = 0.45f,
                },
            },
            [ServerMessage.BodyOneofCase.Chat] = new() { Ack = 4, Chat = ChatLine(7) },
            [ServerMessage.BodyOneofCase.Credits] = new()
            {
                Ack = 5,
                Credits = new Credits { Balance = 1_000_010, Delta = 10, Reason = "mine" },
            },
            [ServerMessage.BodyOneofCase.Jumped] = new()
            {
                Ack = 6,
                Jumped = new Jumped { FromSector = "s-0-0", ToSector = "s-1-0" },
            },
            [ServerMessage.BodyOneofCase.Pong] = new()
            {
                Ack = 7,
                Pong = new Pong { ClientTimeUs = 1_732_000_000_123_456, ServerTimeUs = 1_732_000_000_123_999 },
            },
            [ServerMessage.BodyOneofCase.Error] = new()
            {
                Ack = 8,
                Error = new Error { Code = ErrorCode.SessionReplaced, Message = "logged in elsewhere", Fatal = true },
            },
            [ServerMessage.BodyOneofCase.Notice] = new()
            {
                Ack = 9,
                Notice = new Notice { Kind = NoticeKind.ShuttingDownNotice, Text = "node draining", ReconnectAfterMs = 1500 },
            },
        };

    private static SectorSnapshot Snapshot() => new()
    {
        SectorId = "s-3-4",
        Tick = 123_456_789_012,
        Ships = { Ship("p-1") },
        Asteroids = { new Asteroid { Id = "a-0", X = 100.5f, Y = 900.75f, Ore = 1000 } },
        Gates = { new Gate { Id = "s-4-4", X = 950, Y = 500, ToSector = "s-4-4" } },
        RecentChat = { ChatLine(1), ChatLine(2) },
        Width = 1000,
        Height = 800,
        TimeDilation = 0.3f,
    };

    private static Ship Ship(string playerId) => new()
    {
        PlayerId = playerId,
        Name = "Name of " + playerId,
        X = 1.5f,
        Y = 2.5f,
        Vx = -3.5f,
        Vy = 4.5f,
        Connected = true,
        LastInputSeq = 77,
    };

    private static ChatLine ChatLine(ulong id) => new()
    {
        Id = id,
        SectorId = "s-3-4",
        FromPlayerId = "p-1",
        FromName = "Ada",
        Text = "line " + id,
        TimeUs = 1_732_000_000_000_000 + (long)id,
    };
}
