using System.Diagnostics;
using System.Net.Sockets;
using Akkagame.V1;
using AkkaGame.Protocol.Client;

namespace AkkaGame.Bots;

/// <summary>
/// One simulated player: flies to asteroids and mines them, now and then chats, or flies to a gate
/// and jumps. Measures input-to-state latency: from sending a MoveTo to the first state of its own
/// ship whose last_input_seq covers that MoveTo.
/// </summary>
internal sealed class Bot : IAsyncDisposable
{
    // World rules of PROTOCOL.md; the margin keeps the bot inside the 50-unit ranges despite
    // the ship's last reported position lagging a tick behind.
    private const float ArrivalDistance = 40;
    private const float ShipSpeed = 100;
    private static readonly TimeSpan MineInterval = TimeSpan.FromMilliseconds(1050);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StalePending = TimeSpan.FromSeconds(30);

    private readonly int _index;
    private readonly GameClient _client;
    private readonly Stats _stats;
    private readonly Random _random;
    private readonly object _gate = new();
    private readonly SectorView _view = new();
    private readonly Dictionary<uint, long> _moveSentAt = new();
    private readonly TaskCompletionSource<bool> _goodbye = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string? _playerId;
    private uint _sentSeq;
    private uint _appliedSeq;
    private long _appliedAt;
    private int _chats;
    private volatile bool _leaving;

    public Bot(int index, GameClientOptions options, Stats stats, int seed)
    {
        _index = index;
        _stats = stats;
        _random = new Random(seed);
        _client = new GameClient(options);
        _client.MessageReceived += OnMessage;
        _client.Disconnected += OnDisconnected;
        _client.Reconnected += _ => _stats.Reconnect();
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Connects (retrying while the server is not there yet), then plays until cancelled.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (await ConnectAsync(ct))
        {
            _stats.FirstConnect();
            await PlayAsync(ct);
        }
    }

    /// <summary>Leaves the game and waits (bounded) for the server's goodbye, so the Leave is not lost to a reset.</summary>
    public async Task LeaveAsync(TimeSpan patience)
    {
        _leaving = true;
        if (_client.IsConnected)
        {
            try
            {
                await _client.SendLeaveAsync();
                _stats.MessageOut();
                await Task.WhenAny(_goodbye.Task, Task.Delay(patience));
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                _stats.SendFailure();
            }
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static async Task<bool> Delay(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> ConnectAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await _client.ConnectAsync(ct);
                return true;
            }
            catch (GameErrorException ex) when (ex.Error.Code is ErrorCode.AuthFailed or ErrorCode.NotAuthenticated or ErrorCode.UnsupportedVersion)
            {
                // Retrying cannot fix credentials or the protocol version.
                _stats.ConnectFailure(Stats.NameOf(ex.Error.Code));
                return false;
            }
            catch (GameErrorException ex)
            {
                _stats.ConnectFailure(Stats.NameOf(ex.Error.Code));
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
            {
                _stats.ConnectFailure(ex.GetType().Name);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return false;
            }

            if (!await Delay(TimeSpan.FromSeconds(1), ct))
            {
                return false;
            }
        }

        return false;
    }

    private async Task PlayAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await PlayRoundAsync(ct))
                {
                    // Not connected, or no snapshot yet: wait for the client's reconnect.
                    await Delay(Poll, ct);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // The connection dropped mid-send; the client reconnects by itself.
                _stats.SendFailure();
                await Delay(TimeSpan.FromMilliseconds(250), ct);
            }
        }
    }

    /// <summary>One round: fly to a target, then mine it or jump through it, maybe chat.</summary>
    private async Task<bool> PlayRoundAsync(CancellationToken ct)
    {
        Asteroid? asteroid = null;
        Gate? gate = null;
        string sector;
        lock (_gate)
        {
            if (!_client.IsConnected || !_view.Loaded)
            {
                return false;
            }

            sector = _view.SectorId;
            if (_view.Gates.Count > 0 && _random.Next(5) == 0)
            {
                gate = _view.Gates[_random.Next(_view.Gates.Count)];
            }
            else if (_view.Asteroids.Count > 0)
            {
                asteroid = _view.Asteroids.ElementAt(_random.Next(_view.Asteroids.Count));
            }
            else
            {
                return false;
            }
        }

        var (x, y) = gate is not null ? (gate.X, gate.Y) : (asteroid!.X, asteroid.Y);
        if (!await FlyToAsync(sector, x, y, ct))
        {
            return true;
        }

        if (gate is not null)
        {
            Sent(await _client.SendJumpAsync(gate.Id));
            await WaitAsync(() => _view.SectorId != sector && _view.Loaded, TimeSpan.FromSeconds(5), ct);
        }
        else
        {
            for (var i = _random.Next(2, 6); i > 0 && !ct.IsCancellationRequested; i--)
            {
                Sent(await _client.SendMineAsync(asteroid!.Id));
                await Delay(MineInterval, ct);
            }
        }

        if (_random.Next(10) == 0 && !ct.IsCancellationRequested)
        {
            Sent(await _client.SendChatAsync($"bot-{_index} says hello #{++_chats}"));
            _stats.ChatSent();
        }

        return true;
    }

    /// <summary>Sends a MoveTo and waits until the ship is within range; false if it did not get there.</summary>
    private async Task<bool> FlyToAsync(string sector, float x, float y, CancellationToken ct)
    {
        float distance;
        lock (_gate)
        {
            distance = _view.DistanceTo(x, y);
        }

        // Taken before the send: a fast answer may arrive before SendMoveToAsync returns.
        var sentAt = Stopwatch.GetTimestamp();
        TrackMove(await _client.SendMoveToAsync(x, y), sentAt);
        var flight = TimeSpan.FromSeconds(distance / ShipSpeed) + TimeSpan.FromSeconds(3);
        return await WaitAsync(() => _view.SectorId == sector && _view.DistanceTo(x, y) <= ArrivalDistance, flight, ct);
    }

    /// <summary>Polls <paramref name="condition"/> (under the bot's lock) until true or the time is up.</summary>
    private async Task<bool> WaitAsync(Func<bool> condition, TimeSpan limit, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_gate)
            {
                if (condition())
                {
                    return true;
                }
            }

            if (Stopwatch.GetTimestamp() >= deadline || !await Delay(Poll, ct))
            {
                return false;
            }
        }
    }

    /// <summary>Counts an input and remembers the highest seq sent on this connection.</summary>
    private void Sent(uint seq)
    {
        _stats.MessageOut();
        lock (_gate)
        {
            _sentSeq = Math.Max(_sentSeq, seq);
        }
    }

    private void TrackMove(uint seq, long sentAt)
    {
        Sent(seq);
        lock (_gate)
        {
            if (_appliedSeq >= seq)
            {
                // The state already arrived while the send was returning.
                _stats.Latency(Stopwatch.GetElapsedTime(sentAt, _appliedAt));
                return;
            }

            var stale = Stopwatch.GetTimestamp() - (long)(StalePending.TotalSeconds * Stopwatch.Frequency);
            foreach (var old in _moveSentAt.Where(p => p.Value < stale).Select(p => p.Key).ToList())
            {
                // A MoveTo whose state never showed (e.g. a ship already at its target): not a sample.
                _moveSentAt.Remove(old);
            }

            _moveSentAt[seq] = sentAt;
        }
    }

    private void OnMessage(ServerMessage message)
    {
        _stats.MessageIn();
        switch (message.BodyCase)
        {
            case ServerMessage.BodyOneofCase.Welcome:
                lock (_gate)
                {
                    // A new connection: seqs restart at 1, so pending samples mean nothing now.
                    _playerId = message.Welcome.PlayerId;
                    _moveSentAt.Clear();
                    _sentSeq = 0;
                    _appliedSeq = 0;
                    _view.Reset(message.Welcome.SectorId);
                }

                break;
            case ServerMessage.BodyOneofCase.Snapshot:
                lock (_gate)
                {
                    ObserveOwnShip(_view.Load(message.Snapshot, _playerId));
                }

                break;
            case ServerMessage.BodyOneofCase.Delta:
                lock (_gate)
                {
                    ObserveOwnShip(_view.Apply(message.Delta, _playerId));
                }

                break;
            case ServerMessage.BodyOneofCase.Jumped:
                _stats.Jump();
                lock (_gate)
                {
                    _view.Reset(message.Jumped.ToSector);
                }

                break;
            case ServerMessage.BodyOneofCase.Credits when message.Credits.Delta > 0:
                _stats.Mined(message.Credits.Delta);
                break;
            case ServerMessage.BodyOneofCase.Chat:
                _stats.ChatReceived();
                break;
            case ServerMessage.BodyOneofCase.Error:
                _stats.Error(message.Error.Code);
                break;
            case ServerMessage.BodyOneofCase.Notice when message.Notice.Kind == NoticeKind.Goodbye:
                _goodbye.TrySetResult(true);
                break;
            default:
                break;
        }
    }

    /// <summary>Records latency for every pending MoveTo that the ship's last_input_seq now covers.</summary>
    private void ObserveOwnShip(Ship? ship)
    {
        // A seq above any sent on this connection is a stale value from before a reconnect.
        if (ship is null || ship.LastInputSeq <= _appliedSeq || ship.LastInputSeq > _sentSeq)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        _appliedSeq = ship.LastInputSeq;
        _appliedAt = now;
        foreach (var seq in _moveSentAt.Keys.Where(s => s <= ship.LastInputSeq).ToList())
        {
            _stats.Latency(Stopwatch.GetElapsedTime(_moveSentAt[seq], now));
            _moveSentAt.Remove(seq);
        }
    }

    private void OnDisconnected(string reason)
    {
        _goodbye.TrySetResult(true);
        if (!_leaving)
        {
            _stats.Disconnect();
        }
    }
}
