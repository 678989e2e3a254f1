using AkkaGame.Game.Sessions;
using System.Net.Sockets;
using System.Security.Cryptography;
using Akkagame.V1;
using AkkaGame.Bench.Orleans.Grains;
using AkkaGame.Bench.PeerCommon;
using Orleans;
using Orleans.Concurrency;

namespace AkkaGame.Bench.Orleans;

/// <summary>
/// One client connection in the gateway: the shared gate decides, inputs become awaited grain
/// calls (one at a time, so a connection's inputs apply in order), and the session is itself
/// the observer through which sectors and players push frames to the client.
/// </summary>
internal sealed class OrleansSession : IFrameHandler, IPeerSession, ISessionObserver, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly PeerSettings _settings;
    private readonly FrameConnection _connection;
    private readonly SessionGate _gate;
    private readonly FaultLog _faults;
    private ISessionObserver? _self;
    private string _playerId = string.Empty;
    private string _name = string.Empty;
    private string _sectorId = string.Empty;
    private bool _predictsMotion;
    private bool _left;

    public OrleansSession(Socket socket, IGrainFactory grains, PeerSettings settings, AkkaGame.Game.Auth.TokenService tokens, FaultLog faults)
    {
        _faults = faults;
        _grains = grains;
        _settings = settings;
        _connection = new FrameConnection(socket, settings);
        _gate = new SessionGate(settings.Session, tokens, Environment.TickCount64);
    }

    public string ConnectionId { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    private IPlayerGrain Player => _grains.GetGrain<IPlayerGrain>(_playerId);

    private ISectorGrain Sector => _grains.GetGrain<ISectorGrain>(_sectorId);

    public Task RunAsync() => _connection.RunAsync(this);

    /// <summary>Completes when, after the connection ended, the sector and player have been told.</summary>
    public Task Detached { get; private set; } = Task.CompletedTask;

    /// <summary>RunAsync already released the connection when it ended; this covers a session that never ran.</summary>
    public void Dispose() => _connection.Dispose();

    public async ValueTask OnFrameAsync(byte[] frame)
    {
        var result = _gate.Accept(frame, Environment.TickCount64);
        try
        {
            switch (result.Action)
            {
                case GateAction.Reply:
                    Write(result.Frame!);
                    break;
                case GateAction.Fatal:
                    _connection.CloseWith(result.Frame!);
                    break;
                case GateAction.Login:
                    await LoginAsync(result.Seq, result.Identity!);
                    break;
                case GateAction.Input:
                    await InputAsync(result);
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A grain call failed (silo stopping, timeout): like the node, tell the client and close;
            // it reconnects with its resume token.
            // Closed even when the gate already was (a failed Leave): the first last frame wins.
            _faults.Report($"connection {ConnectionId} (player {_playerId})", e);
            _gate.Close();
            _connection.CloseWith(Replies.Internal(result.Seq, "the request could not be served; reconnect to continue"));
        }
    }

    public void OnBadLength(long length)
    {
        if (_gate.BadLength(length).Frame is { } fatal)
        {
            _connection.CloseWith(fatal);
        }
    }

    public void OnClosed()
    {
        if (_playerId.Length > 0 && !_left)
        {
            Detached = DetachAsync();
        }
        else
        {
            ForgetObserver();
        }
    }

    public void CheckTimeouts(long nowMs)
    {
        if (_gate.CheckTimeouts(nowMs) is { } fatal)
        {
            _connection.CloseWith(fatal);
        }
    }

    public void ShutDown()
    {
        if (_gate.Close())
        {
            _connection.CloseWith(Replies.ShuttingDown(_settings.ReconnectAfterMs));
        }
    }

    Task ISessionObserver.Deliver(Immutable<byte[]> frame)
    {
        Write(frame.Value);
        return Task.CompletedTask;
    }

    Task ISessionObserver.Replaced()
    {
        if (_gate.Close())
        {
            _connection.CloseWith(Replies.SessionReplaced());
        }

        return Task.CompletedTask;
    }

    private void Write(byte[] frame)
    {
        if (!_connection.TryWrite(frame) && _gate.Close())
        {
            _connection.CloseWith(Replies.SlowConsumer());
        }
    }

    private static void WriteIf(OrleansSession session, byte[]? frame)
    {
        if (frame is not null)
        {
            session.Write(frame);
        }
    }

    private async Task LoginAsync(uint seq, LoginIdentity identity)
    {
        _self = _grains.CreateObjectReference<ISessionObserver>(this);
        _playerId = identity.PlayerId;
        _predictsMotion = identity.PredictsMotion;
        var player = await Player.Attach(identity.Name, ConnectionId, _self);
        _name = player.Name;
        _sectorId = player.SectorId;
        var view = new PlayerView(player.PlayerId, player.Name, player.SectorId, player.Credits);
        Write(Replies.Welcome(seq, view, _gate.MintResumeToken(identity), _settings.World.TickHz, OrleansPeerServer.PeerName, Replies.ServerTimeUs(TimeProvider.System)));
        await Sector.Join(_playerId, _name, arriving: false, 0, 0, ConnectionId, _predictsMotion, _self);
    }

    private async Task InputAsync(GateResult input)
    {
        var message = input.Message!;
        var seq = input.Seq;
        switch (message.BodyCase)
        {
            case ClientMessage.BodyOneofCase.MoveTo:
                WriteIf(this, (await Sector.Move(_playerId, seq, message.MoveTo.X, message.MoveTo.Y)).Frame);
                break;
            case ClientMessage.BodyOneofCase.Chat:
                WriteIf(this, (await Sector.Chat(_playerId, seq, message.Chat.Text)).Frame);
                break;
            case ClientMessage.BodyOneofCase.Mine:
                await MineAsync(seq, message.Mine.AsteroidId);
                break;
            case ClientMessage.BodyOneofCase.Jump:
                await JumpAsync(seq, message.Jump.GateId);
                break;
            case ClientMessage.BodyOneofCase.Leave:
                _left = true;
                await Sector.Leave(_playerId);
                await Player.Detach(ConnectionId);
                _connection.CloseWith(input.Frame!);
                break;
        }
    }

    private async Task MineAsync(uint seq, string asteroidId)
    {
        var mined = await Sector.Mine(_playerId, seq, asteroidId);
        if (mined.Error is { } error)
        {
            Write(error);
            return;
        }

        var balance = await Player.AddCredits($"mine:{ConnectionId}:{seq}", mined.Amount);
        Write(Replies.Credits(seq, balance, mined.Amount, "mine"));
    }

    private async Task JumpAsync(uint seq, string gateId)
    {
        var jump = await Sector.Jump(_playerId, seq, gateId);
        if (jump.Error is { } error)
        {
            Write(error);
            return;
        }

        await Player.Relocate(jump.ToSector);
        var from = _sectorId;
        _sectorId = jump.ToSector;
        Write(Replies.Jumped(seq, from, jump.ToSector));
        await Sector.Join(_playerId, _name, arriving: true, jump.ArrivalX, jump.ArrivalY, ConnectionId, _predictsMotion, _self!);
    }

    private async Task DetachAsync()
    {
        try
        {
            // Empty when the login failed before the player grain answered.
            if (_sectorId.Length > 0)
            {
                await Sector.Disconnect(_playerId, ConnectionId);
            }

            await Player.Detach(ConnectionId);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The silo is stopping or the call timed out: the ship then stays until its grace ends
            // or the silo is gone; nothing the client was told depends on this.
            _faults.Report($"detaching {_playerId}", e);
        }
        finally
        {
            ForgetObserver();
        }
    }

    private void ForgetObserver()
    {
        // Deleted by the reference CreateObjectReference made, not by the object it wraps.
        if (_self is not null)
        {
            _grains.DeleteObjectReference<ISessionObserver>(_self);
        }
    }
}
