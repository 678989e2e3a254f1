using System.Diagnostics;
using System.Net.Sockets;
using Akkagame.V1;
using AkkaGame.Protocol.Client;

namespace AkkaGame.Bots.Bench;

/// <summary>
/// One benchmark client: connects once (no automatic reconnect: a drop is counted, not hidden),
/// does the scenario's setup (fly to an asteroid or a gate), then sends on a fixed open-loop
/// schedule: each request has a slot in time, and its latency is measured from that slot, not
/// from when the send happened, so a stalled server or a stalled load generator cannot hide
/// its delay (no coordinated omission).
/// </summary>
internal sealed class BenchClient : IAsyncDisposable
{
    private const float ArrivalDistance = 40;

    private readonly int _index;
    private readonly BenchOptions _options;
    private readonly BenchStats _stats;
    private readonly GameClient _client;
    private readonly Random _random;
    private readonly object _gate = new();
    private readonly Dictionary<uint, (Measure Measure, long Scheduled)> _pending = new();
    private readonly TaskCompletionSource<bool> _snapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _goodbye = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private uint _seq = 1000;
    private uint _appliedSeq;
    private string? _playerId;
    private byte[]? _playerIdUtf8;
    private string _sector = string.Empty;
    private byte[] _sectorUtf8 = [];
    private float _x;
    private float _y;
    private float _width = 1000;
    private float _height = 1000;
    private List<Asteroid> _asteroids = new();
    private List<Gate> _gates = new();
    private string? _target;
    private bool _jumpPending;
    private volatile bool _leaving;
    private volatile bool _connected;

    public BenchClient(int index, BenchOptions options, Identity identity, BenchStats stats)
    {
        _index = index;
        _options = options;
        _stats = stats;
        _random = new Random(options.Seed + index);
        _client = new GameClient(new GameClientOptions
        {
            Endpoints = options.Endpoints.Skip(index % options.Endpoints.Count)
                .Concat(options.Endpoints.Take(index % options.Endpoints.Count))
                .ToArray(),
            Token = identity.Token,
            GuestName = identity.GuestName,
            PredictsMotion = options.PredictMotion,
            KeepInbox = false,
            AutoReconnect = false,
            PingInterval = TimeSpan.Zero,
            ConnectTimeout = options.ConnectTimeout,
            FrameFilter = OnFrame,
        });
        _client.MessageReceived += OnMessage;
        _client.Disconnected += _ =>
        {
            _connected = false;
            _goodbye.TrySetResult(true);
            if (!_leaving)
            {
                _stats.Disconnect();
            }
        };
    }

    public bool IsConnected => _connected;

    /// <summary>True once connected and set up: the client is sending its steady load.</summary>
    public bool Ready { get; private set; }

    /// <summary>True once the connect and setup have ended, successfully or not.</summary>
    public bool Settled { get; private set; }

    /// <summary>Connects at <paramref name="scheduled"/>, sets up, then sends on schedule until <paramref name="ct"/>.</summary>
    public async Task RunAsync(long scheduled, CancellationToken ct)
    {
        try
        {
            if (!await ConnectAsync(scheduled, ct) || !await SetupAsync(ct))
            {
                return;
            }

            Ready = true;
            Settled = true;
            await SendLoopAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Debug.WriteLine($"client {_index} stopped");
        }
        finally
        {
            Settled = true;
        }
    }

    /// <summary>Requests still unanswered more than a second after their slot: lost, not slow.</summary>
    public void CountLost(long now)
    {
        lock (_gate)
        {
            foreach (var (_, (measure, scheduled)) in _pending)
            {
                if (_stats.InWindow(scheduled) && Stopwatch.GetElapsedTime(scheduled, now) > TimeSpan.FromSeconds(1))
                {
                    _stats.Lost(measure);
                }
            }
        }
    }

    /// <summary>Stops sending, says Leave and waits up to <paramref name="patience"/> for the server's goodbye.</summary>
    public async Task LeaveAsync(TimeSpan patience)
    {
        _leaving = true;
        if (_client.IsConnected)
        {
            try
            {
                await _client.SendLeaveAsync();
                await Task.WhenAny(_goodbye.Task, Task.Delay(patience));
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                _stats.SendFailure();
            }
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private static async Task DelayUntil(long timestamp, CancellationToken ct)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }
    }

    private static long After(long timestamp, double seconds) => timestamp + (long)(seconds * Stopwatch.Frequency);

    private async Task<bool> ConnectAsync(long scheduled, CancellationToken ct)
    {
        try
        {
            await DelayUntil(scheduled, ct);
            await _client.ConnectAsync(ct);
            _connected = true;
            _stats.Record(Measure.Connect, scheduled, Stopwatch.GetTimestamp());
            _stats.Connect();
            return true;
        }
        catch (GameErrorException ex)
        {
            _stats.ConnectFailure(Stats.NameOf(ex.Error.Code));
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or InvalidOperationException)
        {
            _stats.ConnectFailure(ex.GetType().Name);
        }

        return false;
    }

    /// <summary>Waits for the snapshot; economy flies to an asteroid, churn to a gate.</summary>
    private async Task<bool> SetupAsync(CancellationToken ct)
    {
        var deadline = After(Stopwatch.GetTimestamp(), _options.SetupTimeout.TotalSeconds);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_options.SetupTimeout);
        try
        {
            await _snapshot.Task.WaitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            _stats.ConnectFailure("NoSnapshot");
            return false;
        }

        float tx;
        float ty;
        lock (_gate)
        {
            switch (_options.Scenario)
            {
                case Scenario.Economy when _asteroids.Count > 0:
                    var asteroid = _asteroids[_index % _asteroids.Count];
                    (_target, tx, ty) = (asteroid.Id, asteroid.X, asteroid.Y);
                    break;
                case Scenario.Churn when _gates.Count > 0:
                    var gate = _gates.OrderBy(g => Distance(g.X, g.Y)).ThenBy(_ => _random.Next()).First();
                    (_target, tx, ty) = (gate.Id, gate.X, gate.Y);
                    break;
                default:
                    return true;
            }
        }

        await SendAsync(new ClientMessage { MoveTo = new MoveTo { X = tx, Y = ty } }, null, Stopwatch.GetTimestamp());
        while (Stopwatch.GetTimestamp() < deadline)
        {
            lock (_gate)
            {
                if (Distance(tx, ty) <= ArrivalDistance)
                {
                    return true;
                }
            }

            await Task.Delay(100, ct);
        }

        _stats.ConnectFailure("SetupTimeout");
        return false;
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        var actionInterval = _options.Scenario is Scenario.Idle or Scenario.Storm ? 0 : 1.0 / _options.Rate;
        var pingInterval = _options.Scenario is Scenario.Idle ? 1.0 / _options.Rate : _options.PingInterval.TotalSeconds;
        var start = Stopwatch.GetTimestamp();

        // A random phase per client, so the clients' slots spread over the interval instead of bunching.
        var nextAction = actionInterval > 0 ? After(start, _random.NextDouble() * actionInterval) : long.MaxValue;
        var nextPing = After(start, _random.NextDouble() * pingInterval);
        while (!ct.IsCancellationRequested && _connected && !_leaving)
        {
            var isAction = nextAction <= nextPing;
            var slot = isAction ? nextAction : nextPing;
            await DelayUntil(slot, ct);
            try
            {
                if (isAction)
                {
                    nextAction = After(nextAction, actionInterval);
                    await ActAsync(slot);
                }
                else
                {
                    nextPing = After(nextPing, pingInterval);
                    await SendAsync(new ClientMessage { Ping = new Ping { ClientTimeUs = Stopwatch.GetTimestamp() } }, Measure.Ping, slot);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException)
            {
                // The connection dropped (counted by the Disconnected event); no reconnect in a benchmark.
                _stats.SendFailure();
                return;
            }
        }
    }

    private Task ActAsync(long slot)
    {
        switch (_options.Scenario)
        {
            case Scenario.Economy:
                return SendAsync(new ClientMessage { Mine = new Mine { AsteroidId = _target ?? "a-0" } }, Measure.Mine, slot);
            case Scenario.Churn:
                string gate;
                lock (_gate)
                {
                    if (_jumpPending)
                    {
                        _stats.Skipped();
                        return Task.CompletedTask;
                    }

                    _jumpPending = true;
                    gate = _target ?? string.Empty;
                }

                return SendAsync(new ClientMessage { Jump = new Jump { GateId = gate } }, Measure.Jump, slot);
            default:
                float x;
                float y;
                lock (_gate)
                {
                    x = 50 + ((float)_random.NextDouble() * (_width - 100));
                    y = 50 + ((float)_random.NextDouble() * (_height - 100));
                }

                return SendAsync(new ClientMessage { MoveTo = new MoveTo { X = x, Y = y } }, Measure.Input, slot);
        }
    }

    /// <summary>Registers the request before writing it, so an answer faster than the write's return is not missed.</summary>
    private async Task SendAsync(ClientMessage message, Measure? measure, long slot)
    {
        lock (_gate)
        {
            message.Seq = ++_seq;
            if (measure is { } m)
            {
                _pending[message.Seq] = (m, slot);
            }
        }

        await _client.SendAsync(message);
        _stats.MessageOut(measure, slot);
    }

    private float Distance(float x, float y)
    {
        var dx = x - _x;
        var dy = y - _y;
        return MathF.Sqrt((dx * dx) + (dy * dy));
    }

    private void Answered(uint ack, Measure expected, long now)
    {
        if (ack != 0 && _pending.Remove(ack, out var request))
        {
            if (request.Measure == expected)
            {
                _stats.Record(expected, request.Scheduled, now);
            }

            if (request.Measure == Measure.Jump)
            {
                _jumpPending = false;
            }
        }
    }

    /// <summary>
    /// Every frame passes here first: counted, and a delta of the client's sector is read by a
    /// scan (<see cref="DeltaScan"/>) and consumed; everything else is decoded for <see cref="OnMessage"/>.
    /// </summary>
    private bool OnFrame(byte[] frame)
    {
        var now = Stopwatch.GetTimestamp();
        _stats.FrameIn(frame.Length, now);
        lock (_gate)
        {
            if (_playerIdUtf8 is null || !DeltaScan.TryRead(frame, _sectorUtf8, _playerIdUtf8, out var scan))
            {
                return true;
            }

            if (scan.SectorMatches)
            {
                _stats.Delta(scan.TimeDilation, now);
                if (scan.OwnShip is { } ship)
                {
                    OwnShip([ship], now);
                }
            }

            return false;
        }
    }

    private void SetSector(string sector)
    {
        _sector = sector;
        _sectorUtf8 = DeltaScan.Utf8(sector);
    }

    private void OnMessage(ServerMessage message)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            switch (message.BodyCase)
            {
                case ServerMessage.BodyOneofCase.Welcome:
                    _playerId = message.Welcome.PlayerId;
                    _playerIdUtf8 = DeltaScan.Utf8(_playerId);
                    SetSector(message.Welcome.SectorId);
                    break;
                case ServerMessage.BodyOneofCase.Snapshot:
                    SetSector(message.Snapshot.SectorId);
                    _width = message.Snapshot.Width > 0 ? message.Snapshot.Width : _width;
                    _height = message.Snapshot.Height > 0 ? message.Snapshot.Height : _height;
                    _asteroids = message.Snapshot.Asteroids.ToList();
                    _gates = message.Snapshot.Gates.ToList();
                    _x = _width / 2;
                    _y = _height / 2;
                    OwnShip(message.Snapshot.Ships, now);
                    _snapshot.TrySetResult(true);
                    break;
                case ServerMessage.BodyOneofCase.Delta when message.Delta.SectorId == _sector:
                    OwnShip(message.Delta.Ships, now);
                    break;
                case ServerMessage.BodyOneofCase.Pong:
                    Answered(message.Ack, Measure.Ping, now);
                    break;
                case ServerMessage.BodyOneofCase.Credits:
                    Answered(message.Ack, Measure.Mine, now);
                    break;
                case ServerMessage.BodyOneofCase.Jumped:
                    // The ship now stands beside the gate leading back: the next jump goes back through it.
                    SetSector(message.Jumped.ToSector);
                    _target = message.Jumped.FromSector;
                    Answered(message.Ack, Measure.Jump, now);
                    break;
                case ServerMessage.BodyOneofCase.Error:
                    _stats.Error(message.Error.Code);
                    Answered(message.Ack, (Measure)(-1), now);
                    break;
                default:
                    break;
            }
        }
    }

    private void OwnShip(IEnumerable<Ship> ships, long now)
    {
        foreach (var ship in ships)
        {
            if (ship.PlayerId != _playerId)
            {
                continue;
            }

            _x = ship.X;
            _y = ship.Y;
            if (ship.LastInputSeq > _appliedSeq && ship.LastInputSeq <= _seq)
            {
                _appliedSeq = ship.LastInputSeq;
                foreach (var seq in _pending.Where(p => p.Key <= _appliedSeq && p.Value.Measure == Measure.Input).Select(p => p.Key).ToList())
                {
                    _stats.Record(Measure.Input, _pending[seq].Scheduled, now);
                    _pending.Remove(seq);
                }
            }

            return;
        }
    }
}
