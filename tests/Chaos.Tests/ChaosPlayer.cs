using System.Numerics;
using Akkagame.V1;
using AkkaGame.Protocol.Client;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// A player that mines, chats and jumps through everything the harness does to the cluster,
/// and records exactly what the server told it. It also checks, as it goes, what a client can
/// check from the protocol alone (<see cref="ClientAudit"/>): a balance never goes back, a
/// Welcome never shows less than was acknowledged, an acknowledged chat line stays in its
/// sector's history.
/// </summary>
public sealed class ChaosPlayer : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly object _gate = new();
    private readonly List<Ack> _acks = [];
    private readonly List<AckedChat> _ackedChats = [];
    private readonly Queue<string> _events = new();
    private readonly Random _random;
    private readonly ClientAudit _audit;
    private SectorSnapshot? _snapshot;
    private Vector2 _position;
    private long _highestAckedBalance = -1;
    private float _nudge = 3;
    private DateTime? _markedAt;
    private DateTime? _servedAfterMark;
    private DateTime _lastServed = DateTime.UtcNow;
    private TimeSpan _longestGap;
    private DateTime _longestGapEnded;

    /// <summary>A player logging in with a signed token (<paramref name="token"/>) or, when it is null, as a guest.</summary>
    public ChaosPlayer(string name, string? token, IReadOnlyList<string> endpoints, int seed, ClientAudit audit)
    {
        Name = name;
        _random = new Random(seed);
        _audit = audit;
        Client = new GameClient(new GameClientOptions
        {
            // Each player starts on a different node, so sessions spread over the cluster.
            Endpoints = endpoints.Skip(seed % endpoints.Count).Concat(endpoints.Take(seed % endpoints.Count)).ToList(),
            Token = token,
            GuestName = token is null ? name : null,
            KeepInbox = false,
            // A frozen node's connections stay open: silence is how the client notices it.
            PingInterval = TimeSpan.FromSeconds(1),
            ServerSilenceTimeout = TimeSpan.FromSeconds(3),
            MaxReconnectAttempts = 400,
            ReconnectDelay = TimeSpan.FromMilliseconds(200),
        });
        Client.MessageReceived += OnMessage;
        Client.Disconnected += reason => Note("disconnected: " + reason);
        Client.Reconnected += welcome =>
        {
            Note("reconnected to " + welcome.Node);
            CheckWelcome(welcome);
        };
    }

    public string Name { get; }

    /// <summary>The player id the server gave (a guest's is only known after its first Welcome).</summary>
    public string PlayerId => Client.Welcome?.PlayerId ?? Name;

    public GameClient Client { get; }

    public int Mines { get; private set; }

    public int Jumps { get; private set; }

    public int Failures { get; private set; }

    public long HighestAckedBalance
    {
        get
        {
            lock (_gate)
            {
                return _highestAckedBalance;
            }
        }
    }

    /// <summary>Every acknowledgement (Credits, own ChatLine, Jumped) with when and over which endpoint it came.</summary>
    public IReadOnlyList<Ack> Acks
    {
        get
        {
            lock (_gate)
            {
                return _acks.ToList();
            }
        }
    }

    public IReadOnlyList<long> AckedBalances
    {
        get
        {
            lock (_gate)
            {
                return _acks.Where(a => a.Balance is not null).Select(a => a.Balance!.Value).ToList();
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

    /// <summary>The longest time without a delta or snapshot since the gap was last reset (still open gaps count up to now).</summary>
    public TimeSpan LongestGap
    {
        get
        {
            lock (_gate)
            {
                var open = DateTime.UtcNow - _lastServed;
                return open > _longestGap ? open : _longestGap;
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
            return $"sector {_snapshot?.SectorId}, node {Client.Welcome?.Node}, connected {Client.IsConnected}, endpoint {Client.ConnectedEndpoint}; longest gap {_longestGap.TotalSeconds:0.00} s ended {_longestGapEnded:HH:mm:ss.fff}; recent: {string.Join(" | ", _events)}";
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

    private async Task ConnectAsync(CancellationToken stop)
    {
        for (var attempt = 0; !stop.IsCancellationRequested; attempt++)
        {
            try
            {
                CheckWelcome(await Client.ConnectAsync(stop));
                return;
            }
            catch (Exception e) when (attempt < 50 && e is IOException or TimeoutException or System.Net.Sockets.SocketException or GameErrorException)
            {
                await Pause(TimeSpan.FromMilliseconds(300), stop);
            }
        }
    }

    private void CheckWelcome(Welcome welcome)
    {
        lock (_gate)
        {
            if (welcome.Credits < _highestAckedBalance)
            {
                _audit.Violation($"{welcome.PlayerId}: Welcome from {welcome.Node} shows {welcome.Credits} credits, below the acknowledged {_highestAckedBalance}");
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

        var rock = snapshot.Asteroids[Math.Abs(Name.GetHashCode(StringComparison.Ordinal)) % snapshot.Asteroids.Count];
        await FlyToAsync(new Vector2(rock.X + 10, rock.Y), stop);
        var reply = await Client.RequestAsync(new ClientMessage { Mine = new Mine { AsteroidId = rock.Id } }, RequestTimeout);
        if (reply.Credits is { } credits)
        {
            Mines++;
            lock (_gate)
            {
                // Every Credits answers a new mine (a positive amount): it must exceed every earlier
                // one. Equal is as wrong as lower: a stored credit went missing in between.
                if (credits.Balance <= _highestAckedBalance)
                {
                    _audit.Violation($"{PlayerId}: Credits {credits.Balance} after the acknowledged {_highestAckedBalance} (over {Client.ConnectedEndpoint})");
                }

                _highestAckedBalance = Math.Max(_highestAckedBalance, credits.Balance);
                _acks.Add(new Ack(DateTime.UtcNow, Client.ConnectedEndpoint, "credits", credits.Balance));
            }
        }

        // Once per second per player: wait out the cooldown rather than collect COOLDOWN errors.
        // Meanwhile the ship shifts a little every 350 ms (staying in mining range), so its sector
        // sends a delta whenever it serves: a gap in deltas is an outage, not a quiet sector.
        for (var i = 0; i < 3; i++)
        {
            _nudge = -_nudge;
            await Client.SendMoveToAsync(rock.X + 10, rock.Y + _nudge);
            await Pause(TimeSpan.FromMilliseconds(350), stop);
        }
    }

    private async Task ChatAsync(int step)
    {
        var text = $"{Name} says {step}";
        var reply = await Client.RequestAsync(new ClientMessage { Chat = new Chat { Text = text } }, RequestTimeout);
        if (reply.Chat is { } line)
        {
            lock (_gate)
            {
                _ackedChats.Add(new AckedChat(line.SectorId, line.Id, line.Text));
                _acks.Add(new Ack(DateTime.UtcNow, Client.ConnectedEndpoint, "chat", null));
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
            lock (_gate)
            {
                _acks.Add(new Ack(DateTime.UtcNow, Client.ConnectedEndpoint, "jumped", null));
            }
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
        if (message.Chat is { } chat)
        {
            _audit.SawChat(chat.SectorId, chat.Id, chat.Text);
        }

        lock (_gate)
        {
            if (message.Snapshot is { } snapshot)
            {
                _snapshot = snapshot;
                foreach (var line in snapshot.RecentChat)
                {
                    _audit.SawChat(snapshot.SectorId, line.Id, line.Text);
                }

                CheckHistory(snapshot);
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

    /// <summary>Every line this player had acknowledged in this sector that the snapshot's window covers must be in it.</summary>
    private void CheckHistory(SectorSnapshot snapshot)
    {
        if (snapshot.RecentChat.Count == 0)
        {
            return;
        }

        var oldest = snapshot.RecentChat.Min(l => l.Id);
        var shown = snapshot.RecentChat.ToDictionary(l => l.Id, l => l.Text);
        foreach (var acked in _ackedChats.Where(c => c.SectorId == snapshot.SectorId && c.Id >= oldest))
        {
            if (!shown.TryGetValue(acked.Id, out var text) || text != acked.Text)
            {
                _audit.Violation($"{PlayerId}: acknowledged chat line {acked.Id} \"{acked.Text}\" of {acked.SectorId} is missing from a later snapshot's history");
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
        var now = DateTime.UtcNow;
        if (now - _lastServed > _longestGap)
        {
            _longestGap = now - _lastServed;
            _longestGapEnded = now;
        }

        _lastServed = now;

        // A frame already in flight at the mark does not show the sector serving: allow 50 ms.
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

/// <summary>One acknowledgement a client received: when, over which endpoint, and for a Credits reply the balance.</summary>
public sealed record Ack(DateTime At, string? Endpoint, string Kind, long? Balance);
