using System.Numerics;

namespace AkkaGame.Game.Simulation;

/// <summary>
/// The simulation of one sector: ships, asteroids and chat history, advanced by inputs and
/// ticks. Pure and single-owner: no actors, clocks or I/O; the caller passes the time in.
/// </summary>
public sealed class SectorState
{
    private readonly Dictionary<string, Ship> _ships = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Asteroid> _asteroids = new(StringComparer.Ordinal);
    private readonly Queue<ChatEntry> _chat = new();
    private readonly List<string> _removed = [];
    private long _regenCarryMs;
    private bool _announceFullSpeed;

    /// <summary>
    /// A velocity that moved by more than this share of the ship speed turned
    /// (<see cref="Ship.Steered"/>); float rounding moves it by about a ten-millionth.
    /// </summary>
    private const float TurnShare = 1e-4f;

    public SectorState(string sectorId, WorldRules rules)
    {
        Rules = rules ?? throw new ArgumentNullException(nameof(rules));
        Layout = SectorLayout.For(sectorId, rules);
        foreach (var site in Layout.Asteroids)
        {
            _asteroids[site.Id] = new Asteroid { Id = site.Id, Position = site.Position, Ore = rules.AsteroidMaxOre };
        }
    }

    public WorldRules Rules { get; }
    public SectorLayout Layout { get; }
    public string Id => Layout.SectorId;
    public ulong Tick { get; private set; }
    public ulong LastChatId { get; private set; }
    public IReadOnlyCollection<Ship> Ships => _ships.Values;
    public IReadOnlyCollection<Asteroid> Asteroids => _asteroids.Values;
    public IReadOnlyCollection<ChatEntry> RecentChat => _chat;
    public int ConnectedCount => _ships.Values.Count(s => s.Connected);

    /// <summary>The sector's game clock: real time while it runs at full speed, slower while dilated.</summary>
    public GameClock Clock { get; } = new();

    /// <summary>Game seconds per real second (1 = full speed).</summary>
    public float TimeDilation => (float)Clock.Factor;

    /// <summary>
    /// From <paramref name="nowMs"/> (real time) on, the game clock runs at <paramref name="factor"/>.
    /// The caller also ticks 1/factor times slower: each tick stays one step of game time.
    /// </summary>
    public void Dilate(double factor, long nowMs)
    {
        if (factor == Clock.Factor)
        {
            return;
        }

        // Clients learn of the return to full speed from the next delta (1.0), then nothing more.
        _announceFullSpeed = factor >= 1 && Clock.Factor < 1;
        Clock.SetFactor(factor, nowMs);
    }

    public Ship? FindShip(string playerId) => _ships.GetValueOrDefault(playerId);

    public Asteroid? FindAsteroid(string asteroidId) => _asteroids.GetValueOrDefault(asteroidId);

    public Vector2 Centre => new(Rules.Width / 2, Rules.Height / 2);

    /// <summary>
    /// A player's ship enters or re-attaches. An existing ship (resume within grace, or a
    /// restart from snapshot) keeps its position; a new one appears at <paramref name="arrival"/>
    /// or near the centre.
    /// </summary>
    public Ship Enter(string playerId, string name, Vector2? arrival)
    {
        if (_ships.TryGetValue(playerId, out var ship))
        {
            ship.Name = name;
            ship.Connected = true;
            ship.DisconnectedAtMs = null;
            ship.Changed = true;
            ship.Steered = true;
            return ship;
        }

        var position = Clamp(arrival ?? NearCentre(playerId));
        ship = new Ship
        {
            PlayerId = playerId,
            Name = name,
            Position = position,
            Target = position,
            Connected = true,
            Changed = true,
            Steered = true,
        };
        _ships[playerId] = ship;
        _removed.Remove(playerId);
        return ship;
    }

    /// <summary>Restores a ship from a snapshot; it waits for its player like a disconnected one.</summary>
    public void Restore(Ship ship, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(ship);
        ship.Connected = false;
        ship.DisconnectedAtMs = nowMs;
        ship.Velocity = Vector2.Zero;
        _ships[ship.PlayerId] = ship;
    }

    public void RestoreAsteroid(string asteroidId, int ore)
    {
        if (_asteroids.TryGetValue(asteroidId, out var asteroid))
        {
            asteroid.Ore = Math.Clamp(ore, 0, Rules.AsteroidMaxOre);
        }
    }

    public void RestoreCounters(ulong tick, ulong lastChatId)
    {
        Tick = tick;
        LastChatId = lastChatId;
    }

    /// <summary>The player's connection is gone: the ship stays for the reconnect grace.</summary>
    public void Disconnect(string playerId, long nowMs)
    {
        if (_ships.TryGetValue(playerId, out var ship) && ship.Connected)
        {
            ship.Connected = false;
            ship.DisconnectedAtMs = nowMs;
            ship.Changed = true;
            ship.Steered = true;
        }
    }

    /// <summary>The ship leaves now (Leave, or a jump out).</summary>
    public bool Remove(string playerId)
    {
        if (!_ships.Remove(playerId))
        {
            return false;
        }

        _removed.Add(playerId);
        return true;
    }

    /// <summary>MoveTo: fly toward the point, clamped into the sector. NaN or infinity is refused.</summary>
    public Rejection MoveTo(string playerId, uint seq, float x, float y)
    {
        if (!float.IsFinite(x) || !float.IsFinite(y))
        {
            return Rejection.InvalidInput;
        }

        if (!_ships.TryGetValue(playerId, out var ship))
        {
            return Rejection.UnknownTarget;
        }

        ship.Target = Clamp(new Vector2(x, y));
        ship.LastInputSeq = Math.Max(ship.LastInputSeq, seq);
        ship.Changed = true;
        ship.Steered = true;
        return Rejection.None;
    }

    /// <summary>
    /// Mine: range, cooldown and ore checked in the order PROTOCOL.md lists them. The cooldown
    /// runs in game time: a sector dilated to half speed allows a mine every two real seconds.
    /// </summary>
    public MineOutcome Mine(string playerId, string asteroidId, long nowMs)
    {
        var gameNowMs = Clock.Now(nowMs);
        if (!_ships.TryGetValue(playerId, out var ship))
        {
            return MineOutcome.Refused(Rejection.UnknownTarget, "no ship in this sector");
        }

        if (!_asteroids.TryGetValue(asteroidId ?? string.Empty, out var asteroid))
        {
            return MineOutcome.Refused(Rejection.UnknownTarget, $"no asteroid '{ClientText.Quote(asteroidId)}' in {Id}");
        }

        if (Vector2.Distance(ship.Position, asteroid.Position) > Rules.MiningRange)
        {
            return MineOutcome.Refused(Rejection.OutOfRange, $"asteroid {asteroidId} is farther than {Rules.MiningRange} units");
        }

        if (ship.LastMineAtMs is { } last && gameNowMs - last < (long)Rules.MineCooldown.TotalMilliseconds)
        {
            return MineOutcome.Refused(Rejection.Cooldown, "mining is allowed once per second");
        }

        if (asteroid.Ore < Rules.MineAmount)
        {
            return MineOutcome.Refused(Rejection.InvalidInput, $"asteroid {asteroidId} is depleted");
        }

        asteroid.Ore -= Rules.MineAmount;
        asteroid.Changed = true;
        ship.LastMineAtMs = gameNowMs;
        return new MineOutcome(Rejection.None, string.Empty, Rules.MineAmount);
    }

    /// <summary>Jump: within range of a gate the ship leaves this sector.</summary>
    public JumpOutcome Jump(string playerId, string gateId)
    {
        if (!_ships.TryGetValue(playerId, out var ship))
        {
            return JumpOutcome.Refused(Rejection.UnknownTarget, "no ship in this sector");
        }

        var gate = Layout.Gates.FirstOrDefault(g => g.Id == gateId);
        if (gate is null)
        {
            return JumpOutcome.Refused(Rejection.UnknownTarget, $"no gate '{ClientText.Quote(gateId)}' in {Id}");
        }

        if (Vector2.Distance(ship.Position, gate.Position) > Rules.JumpRange)
        {
            return JumpOutcome.Refused(Rejection.OutOfRange, $"gate {gateId} is farther than {Rules.JumpRange} units");
        }

        Remove(playerId);
        return new JumpOutcome(Rejection.None, string.Empty, gate.ToSector);
    }

    /// <summary>Appends a validated chat line with the next id and keeps the last chat-history lines.</summary>
    public ChatEntry AppendChat(string fromPlayerId, string fromName, string text, long timeUs)
    {
        var entry = new ChatEntry(LastChatId + 1, fromPlayerId, fromName, text, timeUs);
        ApplyChat(entry);
        return entry;
    }

    /// <summary>Applies a stored chat line (recovery replays these).</summary>
    public void ApplyChat(ChatEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        LastChatId = Math.Max(LastChatId, entry.Id);
        _chat.Enqueue(entry);
        while (_chat.Count > Rules.ChatHistory)
        {
            _chat.Dequeue();
        }
    }

    /// <summary>
    /// Advances the simulation by one tick of 1/tick-hz seconds of game time (movement and ore
    /// regeneration; a dilated sector simply ticks less often) and reports what changed.
    /// <paramref name="nowMs"/> is real time, for the reconnect grace, which does not dilate.
    /// </summary>
    public TickResult Advance(long nowMs)
    {
        Tick++;
        var dt = 1f / Rules.TickHz;
        var step = Rules.ShipSpeed * dt;

        // A flight's direction, worked out again each tick from where the ship is, moves by float
        // rounding only; a larger change is a turn, which clients that predict motion must be sent.
        var turn = Rules.ShipSpeed * TurnShare;
        foreach (var ship in _ships.Values)
        {
            var toTarget = ship.Target - ship.Position;
            var distance = toTarget.Length();
            if (distance <= step)
            {
                if (distance > 0 || ship.Velocity != Vector2.Zero)
                {
                    ship.Position = ship.Target;
                    ship.Velocity = Vector2.Zero;
                    ship.Changed = true;
                    ship.Steered = true;
                }
            }
            else
            {
                var direction = toTarget / distance;
                var velocity = direction * Rules.ShipSpeed;
                ship.Position += direction * step;
                ship.Steered |= Vector2.DistanceSquared(velocity, ship.Velocity) > turn * turn;
                ship.Velocity = velocity;
                ship.Changed = true;
            }
        }

        RegenerateOre((long)(1000f / Rules.TickHz));
        ExpireDisconnected(nowMs);

        var changedShips = _ships.Values.Where(s => s.Changed).ToList();
        var changedAsteroids = _asteroids.Values.Where(a => a.Changed).ToList();
        var removed = _removed.ToList();
        foreach (var ship in changedShips)
        {
            ship.Changed = false;
            if (ship.Steered)
            {
                ship.SteeredAtTick = Tick;
                ship.Steered = false;
            }
        }

        foreach (var asteroid in changedAsteroids)
        {
            asteroid.Changed = false;
        }

        _removed.Clear();
        float? dilation = Clock.Factor < 1 || _announceFullSpeed ? TimeDilation : null;
        _announceFullSpeed = false;
        return new TickResult(Tick, changedShips, changedAsteroids, removed, dilation);
    }

    private void RegenerateOre(long elapsedMs)
    {
        _regenCarryMs += elapsedMs;
        while (_regenCarryMs >= 1000)
        {
            _regenCarryMs -= 1000;
            foreach (var asteroid in _asteroids.Values)
            {
                if (asteroid.Ore < Rules.AsteroidMaxOre)
                {
                    asteroid.Ore = Math.Min(Rules.AsteroidMaxOre, asteroid.Ore + Rules.AsteroidRegenPerSecond);
                    asteroid.Changed = true;
                }
            }
        }
    }

    private void ExpireDisconnected(long nowMs)
    {
        var graceMs = (long)Rules.ReconnectGrace.TotalMilliseconds;
        List<string>? expired = null;
        foreach (var ship in _ships.Values)
        {
            if (!ship.Connected && ship.DisconnectedAtMs is { } since && nowMs - since >= graceMs)
            {
                (expired ??= []).Add(ship.PlayerId);
            }
        }

        foreach (var playerId in expired ?? [])
        {
            Remove(playerId);
        }
    }

    private Vector2 Clamp(Vector2 p) => new(Math.Clamp(p.X, 0, Rules.Width), Math.Clamp(p.Y, 0, Rules.Height));

    /// <summary>Spawn points spread within 50 units of the centre so new ships do not stack.</summary>
    private Vector2 NearCentre(string playerId)
    {
        var hash = StableHash.Of(playerId);
        var angle = hash % 360 * MathF.PI / 180;
        var radius = 10 + hash / 360 % 40;
        return Centre + new Vector2(MathF.Cos(angle), MathF.Sin(angle)) * radius;
    }
}
