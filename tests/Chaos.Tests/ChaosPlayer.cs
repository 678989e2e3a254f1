using System.Numerics;
using Akkagame.V1;
using AkkaGame.Protocol.Client;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// A player that mines, chats and jumps through everything the harness does to the cluster,
/// and records exactly what the server acknowledged: those are the facts the audit checks.
/// </summary>
public sealed class ChaosPlayer : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly object _gate = new();
    private readonly List<long> _ackedBalances = [];
    private readonly List<AckedChat> _ackedChats = [];
    private readonly Random _random;
    private SectorSnapshot? _snapshot;
    private Vector2 _position;
    private DateTime? _markedAt;
    private DateTime? _servedAfterMark;
    private DateTime _lastServed = DateTime.UtcNow;
    private TimeSpan _longestGap;

    public ChaosPlayer(string playerId, string token, IReadOnlyList<string> endpoints, int seed)
    {
        PlayerId = playerId;
        _random = new Random(seed);
        Client = new GameClient(new GameClientOptions
        {
            // Each player starts on a different node, so sessions spread over the cluster.
            Endpoints = endpoints.Skip(seed % endpoints.Count).Concat(endpoints.Take(seed % endpoints.Count)).ToList(),
            Token = token,
            KeepInbox = false,
            PingInterval = TimeSpan.FromSeconds(2),
            MaxReconnectAttempts = 200,
            ReconnectDelay = TimeSpan.FromMilliseconds(200),
        });
        Client.MessageReceived += OnMessage;
        Client.Disconnected += reason => Note("disconnected: " + reason);
        Client.Reconnected += welcome => Note("reconnected to " + welcome.Node);
    }

    private readonly Queue<string> _events = new();

    private void Note(string what)
    {
        lock (_gate)
        {
            _events.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what}");
            while (_events.Count > 8)
            {
                _events.Dequeue();
            }
        }
    }

    public string PlayerId { get; }

    public GameClient Client { get; }

    public int Mines { get; private set; }

    public int Jumps { get; private set; }

    public int Failures { get; private set; }

    public IReadOnlyList<long> AckedBalances
    {
        get
        {
            lock (_gate)
            {
                return _ackedBalances.ToList();
            }
        }
    }

    public IReadOnlyList<AckedChat> AckedChats
    {
        get
        {
            lock (_gate)
            {
                return _ackedChats.ToList();
            }
        }
    }

    /// <summary>
    /// From now on, remember when the player's sector next answers (a delta or snapshot arrives),
    /// and, unless only that is asked, the longest silence from now on.
    /// </summary>
    public void Mark(DateTime at, bool resetGap = true)
    {
        lock (_gate)
        {
            _markedAt = at;
            _servedAfterMark = null;
            if (resetGap)
            {
                _longestGap = TimeSpan.Zero;
                _lastServed = at;
            }
        }
    }

    /// <summary>The longest time without a delta or snapshot since the gap was last reset.</summary>
    public TimeSpan LongestGap
    {
        get
        {
            lock (_gate)
            {
                return _longestGap;
            }
        }
    }

    public DateTime? ServedAfterMark
    {
        get
        {
            lock (_gate)
            {
                return _servedAfterMark;
            }
        }
    }

    public string Describe()
    {
        lock (_gate)
        {
            return $"sector {_snapshot?.SectorId}, node {Client.Welcome?.Node}, connected {Client.IsConnected}, endpoint {Client.ConnectedEndpoint}; recent: {string.Join(" | ", _events)}";
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        await ConnectAsync(stop);
        var step = 0;
        while (!stop.IsCancellationRequested)
        {
            step++;
            try
            {
                if (step % 9 == 0)
                {
                    await JumpAsync(stop);
                }
                else
                {
                    await MineAsync(stop);
                    if (step % 3 == 0)
                    {
                        await ChatAsync(step);
                    }
                }
            }
            catch (Exception e) when (e is IOException or TimeoutException or InvalidOperationException or OperationCanceledException or GameErrorException)
            {
                // The cluster is being broken on purpose: the client reconnects by itself; try again.
                Failures++;
                if (Client.IsConnected)
                {
                    Note($"{e.GetType().Name}: {e.Message}");
                }
                await Pause(TimeSpan.FromMilliseconds(200), stop);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Client.IsConnected)
        {
            try
            {
                await Client.SendLeaveAsync();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // Already gone; disposing closes what is left.
            }
        }

        await Client.DisposeAsync();
    }

    private async Task ConnectAsync(CancellationToken stop)
    {
        for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                await Client.ConnectAsync(stop);
                return;
            }
            catch (Exception e) when (attempt < 50 && e is IOException or TimeoutException or System.Net.Sockets.SocketException or GameErrorException)
            {
                await Pause(TimeSpan.FromMilliseconds(300), stop);
            }
        }
    }

    private async Task MineAsync(CancellationToken stop)
    {
        var snapshot = CurrentSnapshot();
        if (snapshot is null)
        {
            await Pause(TimeSpan.FromMilliseconds(100), stop);
            return;
        }

        var rock = snapshot.Asteroids[Math.Abs(PlayerId.GetHashCode(StringComparison.Ordinal)) % snapshot.Asteroids.Count];
        await FlyToAsync(new Vector2(rock.X + 10, rock.Y), stop);
        var reply = await Client.RequestAsync(new ClientMessage { Mine = new Mine { AsteroidId = rock.Id } }, RequestTimeout);
        if (reply.Credits is { } credits)
        {
            Mines++;
            lock (_gate)
            {
                _ackedBalances.Add(credits.Balance);
            }
        }

        // Once per second per player: wait out the cooldown rather than collect COOLDOWN errors.
        await Pause(TimeSpan.FromMilliseconds(1050), stop);
    }

    private async Task ChatAsync(int step)
    {
        var text = $"{PlayerId} says {step}";
        var reply = await Client.RequestAsync(new ClientMessage { Chat = new Chat { Text = text } }, RequestTimeout);
        if (reply.Chat is { } line)
        {
            lock (_gate)
            {
                _ackedChats.Add(new AckedChat(line.SectorId, line.Id, line.Text));
            }
        }
    }

    private async Task JumpAsync(CancellationToken stop)
    {
        var snapshot = CurrentSnapshot();
        if (snapshot is null || snapshot.Gates.Count == 0)
        {
            return;
        }

        var gate = snapshot.Gates[_random.Next(snapshot.Gates.Count)];
        await FlyToAsync(new Vector2(gate.X, gate.Y), stop);
        var reply = await Client.RequestAsync(new ClientMessage { Jump = new Jump { GateId = gate.Id } }, RequestTimeout);
        if (reply.Jumped is not null)
        {
            Jumps++;
        }
    }

    /// <summary>Sends MoveTo and waits (bounded) until the ship's reported position is there.</summary>
    private async Task FlyToAsync(Vector2 target, CancellationToken stop)
    {
        await Client.SendMoveToAsync(target.X, target.Y);
        for (var i = 0; i < 40 && Vector2.Distance(CurrentPosition(), target) > 5; i++)
        {
            await Pause(TimeSpan.FromMilliseconds(50), stop);
        }
    }

    private void OnMessage(ServerMessage message)
    {
        var me = Client.Welcome?.PlayerId;
        lock (_gate)
        {
            if (message.Snapshot is { } snapshot)
            {
                _snapshot = snapshot;
                Track(snapshot.Ships, me);
                Served();
            }
            else if (message.Delta is { } delta && delta.SectorId == _snapshot?.SectorId)
            {
                Track(delta.Ships, me);
                Served();
            }
        }
    }

    private void Track(IEnumerable<Ship> ships, string? me)
    {
        foreach (var ship in ships)
        {
            if (ship.PlayerId == me)
            {
                _position = new Vector2(ship.X, ship.Y);
            }
        }
    }

    private void Served()
    {
        // A frame already in flight at the mark does not show the sector serving: allow 50 ms.
        var now = DateTime.UtcNow;
        if (now - _lastServed > _longestGap)
        {
            _longestGap = now - _lastServed;
        }

        _lastServed = now;
        if (_markedAt is { } mark && _servedAfterMark is null && now > mark.AddMilliseconds(50))
        {
            _servedAfterMark = now;
        }
    }

    private SectorSnapshot? CurrentSnapshot()
    {
        lock (_gate)
        {
            return _snapshot;
        }
    }

    private Vector2 CurrentPosition()
    {
        lock (_gate)
        {
            return _position;
        }
    }

    private static async Task Pause(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends the run.
        }
    }
}

public sealed record AckedChat(string SectorId, ulong Id, string Text);
