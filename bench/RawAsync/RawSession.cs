using AkkaGame.Game.Sessions;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akkagame.V1;
using AkkaGame.Bench.PeerCommon;

namespace AkkaGame.Bench.RawAsync;

/// <summary>
/// One client connection: the shared gate decides, and inputs are posted to the player's sector
/// loop. Frames for the client (from this session and from any sector loop) go into the
/// connection's bounded outbound queue; a client that lets it fill is disconnected.
/// </summary>
internal sealed class RawSession : IFrameHandler, IFrameSink, IPeerSession, IDisposable
{
    private readonly RawWorld _world;
    private readonly FrameConnection _connection;
    private readonly SessionGate _gate;
    private volatile string? _sectorId;
    private volatile bool _closed;
    private bool _left;

    public RawSession(Socket socket, RawWorld world)
    {
        _world = world;
        _connection = new FrameConnection(socket, world.Settings);
        _gate = new SessionGate(world.Settings.Session, world.Tokens, Environment.TickCount64);
    }

    public string ConnectionId { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    public string PlayerId { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public bool PredictsMotion { get; private set; }

    /// <summary>The sector the player's inputs go to; a sector loop moves it on a jump.</summary>
    public string SectorId
    {
        get => _sectorId ?? string.Empty;
        set => _sectorId = value;
    }

    /// <summary>True once the connection has ended (set before its disconnect is posted).</summary>
    public bool IsClosed => _closed;

    public Task RunAsync() => _connection.RunAsync(this);

    /// <summary>RunAsync already released the connection when it ended; this covers a session that never ran.</summary>
    public void Dispose() => _connection.Dispose();

    public ValueTask OnFrameAsync(byte[] frame)
    {
        var result = _gate.Accept(frame, Environment.TickCount64);
        switch (result.Action)
        {
            case GateAction.Reply:
                Deliver(result.Frame!);
                break;
            case GateAction.Fatal:
                _connection.CloseWith(result.Frame!);
                break;
            case GateAction.Login:
                // Awaited: the connection reads the next frame only after the Welcome, so inputs
                // sent right behind the Hello are served after the login, in order.
                return LoginAsync(result.Seq, result.Identity!);
            case GateAction.Input:
                Route(result);
                break;
        }

        return ValueTask.CompletedTask;
    }

    public void OnBadLength(long length) => Fatal(_gate.BadLength(length).Frame);

    public void OnClosed()
    {
        _closed = true;
        if (PlayerId.Length > 0 && !_left)
        {
            _world.Sector(SectorId).Post(new DisconnectCommand(PlayerId, ConnectionId));
            _world.Players.Detach(PlayerId, this);
        }
    }

    public void Deliver(byte[] frame)
    {
        if (!_connection.TryWrite(frame) && _gate.Close())
        {
            _connection.CloseWith(Replies.SlowConsumer());
        }
    }

    public void CheckTimeouts(long nowMs) => Fatal(_gate.CheckTimeouts(nowMs));

    public void ShutDown()
    {
        if (_gate.Close())
        {
            _connection.CloseWith(Replies.ShuttingDown(_world.Settings.ReconnectAfterMs));
        }
    }

    /// <summary>Another connection logged the same player in.</summary>
    public void Replace()
    {
        if (_gate.Close())
        {
            _connection.CloseWith(Replies.SessionReplaced());
        }
    }

    internal void Fatal(byte[]? frame)
    {
        if (frame is not null)
        {
            _connection.CloseWith(frame);
        }
    }

    private async ValueTask LoginAsync(uint seq, LoginIdentity identity)
    {
        PlayerView player;
        RawSession? replaced;
        PredictsMotion = identity.PredictsMotion;
        try
        {
            (player, replaced) = await _world.Players.AttachAsync(identity.PlayerId, identity.Name, this);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _world.Faults.Report("login", e);
            Fatal(Replies.Error(seq, Akkagame.V1.ErrorCode.Internal, "the player could not be loaded; try again", fatal: true));
            return;
        }

        replaced?.Replace();
        PlayerId = player.PlayerId;
        Name = player.Name;
        SectorId = player.SectorId;
        Deliver(Replies.Welcome(seq, player, _gate.MintResumeToken(identity), _world.Settings.World.TickHz, RawAsyncServer.PeerName, Replies.ServerTimeUs(TimeProvider.System)));
        _world.Sector(SectorId).Post(new JoinCommand(this, null));
    }

    private void Route(GateResult input)
    {
        var message = input.Message!;
        var seq = input.Seq;
        var sector = _world.Sector(SectorId);
        switch (message.BodyCase)
        {
            case ClientMessage.BodyOneofCase.MoveTo:
                sector.Post(new MoveCommand(this, seq, message.MoveTo.X, message.MoveTo.Y));
                break;
            case ClientMessage.BodyOneofCase.Chat:
                sector.Post(new ChatCommand(this, seq, message.Chat.Text));
                break;
            case ClientMessage.BodyOneofCase.Mine:
                sector.Post(new MineCommand(this, seq, message.Mine.AsteroidId));
                break;
            case ClientMessage.BodyOneofCase.Jump:
                sector.Post(new JumpCommand(this, seq, message.Jump.GateId));
                break;
            case ClientMessage.BodyOneofCase.Leave:
                _left = true;
                sector.Post(new LeaveCommand(PlayerId));
                _world.Players.Detach(PlayerId, this);
                _connection.CloseWith(input.Frame!);
                break;
        }
    }
}
