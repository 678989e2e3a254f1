using AkkaGame.Game.Sessions;
using Akkagame.V1;
using AkkaGame.Bench.PeerCommon;
using AkkaGame.Game.Auth;

namespace AkkaGame.Bench.ThreadPerClient;

/// <summary>
/// The whole world, every sector and every player, behind ONE global lock: the naive design.
/// Every input of every client and every tick of every sector takes <see cref="Sync"/>, and the
/// frames they produce are written to the clients' sockets while it is held. With a store (the
/// default), what the node stores before answering is stored before the answer, and, naive
/// again, the lock is held while the write commits.
/// </summary>
internal sealed class World
{
    private readonly Dictionary<string, SectorRoom> _rooms = new(StringComparer.Ordinal);

    public World(PeerSettings settings)
    {
        Settings = settings;
        Tokens = TokenService.FromSecret(settings.AuthSecret);
        Store = settings.OpenStore();
        Players = new(settings.World, settings.RememberedOperations, Store);
    }

    /// <summary>The global lock.</summary>
    public Lock Sync { get; } = new();

    public PeerSettings Settings { get; }

    public FaultLog Faults { get; } = new(ThreadPerClientServer.PeerName);

    public TokenService Tokens { get; }

    /// <summary>Null for the in-memory variant.</summary>
    public PeerStore? Store { get; }

    public PlayerDirectory<ClientSession> Players { get; }

    /// <summary>Under <see cref="Sync"/>: the player takes this connection; Welcome, then the snapshot.</summary>
    public void Login(ClientSession session, uint seq, LoginIdentity identity, string resumeToken)
    {
        var (player, replaced) = Players.AttachAsync(identity.PlayerId, identity.Name, session).GetAwaiter().GetResult();
        replaced?.CloseWith(Replies.SessionReplaced());
        session.Attach(player);
        session.PredictsMotion = identity.PredictsMotion;
        session.Deliver(Replies.Welcome(seq, player, resumeToken, Settings.World.TickHz, ThreadPerClientServer.PeerName, Replies.ServerTimeUs(TimeProvider.System)));
        Room(player.SectorId).Join(player.PlayerId, player.Name, null, session);
    }

    /// <summary>Under <see cref="Sync"/>: one validated input of a logged-in session.</summary>
    public void Apply(ClientSession session, uint seq, ClientMessage message, byte[]? goodbye)
    {
        var room = Room(session.SectorId);
        var now = Environment.TickCount64;
        switch (message.BodyCase)
        {
            case ClientMessage.BodyOneofCase.MoveTo:
                Reply(session, room.Move(session.PlayerId, seq, message.MoveTo.X, message.MoveTo.Y));
                break;
            case ClientMessage.BodyOneofCase.Chat:
                Reply(session, Chat(room, session.PlayerId, seq, message.Chat.Text));
                break;
            case ClientMessage.BodyOneofCase.Mine:
                var mined = room.Mine(session.PlayerId, message.Mine.AsteroidId, now);
                session.Deliver(mined.Ok
                    ? Replies.Credits(seq, Players.AddCreditsAsync(session.PlayerId, $"mine:{session.ConnectionId}:{seq}", mined.Amount).GetAwaiter().GetResult(), mined.Amount, "mine")
                    : Replies.Rejected(seq, mined.Rejection, mined.Reason));
                break;
            case ClientMessage.BodyOneofCase.Jump:
                Jump(session, seq, room, message.Jump.GateId);
                break;
            case ClientMessage.BodyOneofCase.Leave:
                room.Leave(session.PlayerId);
                Players.Detach(session.PlayerId, session);
                session.Left = true;
                session.CloseWith(goodbye!);
                break;
        }
    }

    /// <summary>Under <see cref="Sync"/>: the connection ended without Leave; the ship waits for the grace.</summary>
    public void Disconnect(ClientSession session)
    {
        Room(session.SectorId).Disconnect(session.PlayerId, session.ConnectionId, Environment.TickCount64);
        Players.Detach(session.PlayerId, session);
    }

    /// <summary>Under <see cref="Sync"/>: advances every sector that exists and writes its delta to its players.</summary>
    public void Tick(long nowMs)
    {
        foreach (var room in _rooms.Values)
        {
            room.Tick(nowMs);
        }
    }

    private void Jump(ClientSession session, uint seq, SectorRoom room, string gateId)
    {
        var result = room.Jump(session.PlayerId, gateId);
        if (!result.Outcome.Ok)
        {
            session.Deliver(Replies.Rejected(seq, result.Outcome.Rejection, result.Outcome.Reason));
            return;
        }

        var to = result.Outcome.ToSector;
        Players.RelocateAsync(session.PlayerId, to).GetAwaiter().GetResult();
        session.SectorId = to;
        session.Deliver(Replies.Jumped(seq, room.Id, to));
        Room(to).Join(session.PlayerId, session.Name, result.Arrival, session);
    }

    /// <summary>In memory: published at once; with a store, journaled first (under the lock).</summary>
    private byte[]? Chat(SectorRoom room, string playerId, uint seq, string text)
    {
        if (Store is null)
        {
            return room.Chat(playerId, seq, text);
        }

        if (room.PrepareChat(playerId, seq, text, out var error) is not { } entry)
        {
            return error;
        }

        Store.WriteAsync("sector-" + room.Id, "chat", $"{entry.Id}|{entry.FromPlayerId}|{entry.Text}").GetAwaiter().GetResult();
        return room.PublishChat(entry, seq);
    }

    private SectorRoom Room(string sectorId)
    {
        if (!_rooms.TryGetValue(sectorId, out var room))
        {
            room = new SectorRoom(sectorId, Settings.World, Settings.Session.MaxFrameBytes);
            _rooms[sectorId] = room;
        }

        return room;
    }

    private static void Reply(ClientSession session, byte[]? frame)
    {
        if (frame is not null)
        {
            session.Deliver(frame);
        }
    }
}
