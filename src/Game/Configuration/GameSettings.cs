using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Game.Configuration;

/// <param name="InterestRadius">How far a player sees ships (docs/crowds.md); 0 is off: the whole sector.</param>
/// <param name="InterestCellsPerRadius">How finely the interest grid's cells follow the radius (<see cref="InterestGrid"/>).</param>
/// <param name="MaxFrameBytes">The protocol's frame limit (gateway max-frame-bytes): larger snapshots and deltas are sent as several frames (<see cref="Frames.SectorFrames.Deltas"/>).</param>
/// <param name="BehindBytes">
/// A player's connection is behind when more than this is queued unsent on it (a quarter of the
/// gateway's max-outbound-bytes, where it would be dropped as a slow consumer); time dilation counts them.
/// </param>
/// <param name="Conflation">How a behind connection is served (<see cref="Frames.Conflation{TKey}"/>); null (off): every delta is queued, and a full connection is dropped.</param>
public sealed record SectorSettings(
    TimeSpan SnapshotInterval,
    TimeSpan PassivateAfter,
    DilationRules Dilation,
    float InterestRadius = 0,
    int MaxFrameBytes = Protocol.Framing.Frame.DefaultMaxFrameBytes,
    long BehindBytes = 64 * 1024,
    Frames.ConflationRules? Conflation = null,
    int InterestCellsPerRadius = 1);

public sealed record PlayerSettings(int SnapshotEvery, int RememberedOperations);

/// <summary>The gateway section of game.conf; its defaults live there alone (every value is read from it).</summary>
public sealed record GatewaySettings
{
    public required string Host { get; init; }
    public required int Port { get; init; }
    public required int MaxFrameBytes { get; init; }
    public required long MaxOutboundBytes { get; init; }
    public required long MaxWriteBytes { get; init; }
    public required TimeSpan HelloTimeout { get; init; }
    public required TimeSpan IdleTimeout { get; init; }
    public required int MaxMessagesPerSecond { get; init; }
    public required int Burst { get; init; }
    public required int FatalRateMultiplier { get; init; }
    public required int MaxConnections { get; init; }
    public required TimeSpan CloseLinger { get; init; }
    public required long CloseLingerBytes { get; init; }
    public required int SocketSendBuffer { get; init; }
    public required int EntityAskAttempts { get; init; }
    public required TimeSpan EntityAskTimeout { get; init; }
    public required TimeSpan LoginTimeout { get; init; }
}

public sealed record AuthSettings(string Secret, bool AllowGuests, TimeSpan ResumeTokenTtl);

/// <summary>
/// Everything under the akkagame section. The one place that knows which key of game.conf holds
/// what: the node reads it from its layered configuration, every other program from
/// <see cref="GameConf.Defaults"/>, so their rules are the same by construction.
/// </summary>
public sealed record GameSettings(WorldRules World, SectorSettings Sector, PlayerSettings Player, GatewaySettings Gateway, AuthSettings Auth)
{
    public static GameSettings Read(ISettingSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var w = new Section(source, "akkagame.world");
        var s = new Section(source, "akkagame.sector");
        var p = new Section(source, "akkagame.player");
        var g = new Section(source, "akkagame.gateway");
        var a = new Section(source, "akkagame.auth");
        var world = new WorldRules
        {
            SectorsX = w.Int("sectors-x"),
            SectorsY = w.Int("sectors-y"),
            Width = (float)w.Number("sector-width"),
            Height = (float)w.Number("sector-height"),
            TickHz = w.Int("tick-hz"),
            ShipSpeed = (float)w.Number("ship-speed"),
            MiningRange = (float)w.Number("mining-range"),
            JumpRange = (float)w.Number("jump-range"),
            MineAmount = w.Int("mine-amount"),
            MineCooldown = w.Duration("mine-cooldown"),
            AsteroidsPerSector = w.Int("asteroids-per-sector"),
            AsteroidMaxOre = w.Int("asteroid-max-ore"),
            AsteroidRegenPerSecond = w.Int("asteroid-regen-per-second"),
            ChatHistory = w.Int("chat-history"),
            ChatMaxLength = w.Int("chat-max-length"),
            ReconnectGrace = s.Duration("reconnect-grace"),
        };
        var gateway = new GatewaySettings
        {
            Host = g.Text("host"),
            Port = g.Int("port"),
            MaxFrameBytes = g.Int("max-frame-bytes"),
            MaxOutboundBytes = g.Bytes("max-outbound-bytes"),
            MaxWriteBytes = g.Bytes("max-write-bytes"),
            HelloTimeout = g.Duration("hello-timeout"),
            IdleTimeout = g.Duration("idle-timeout"),
            MaxMessagesPerSecond = g.Int("max-messages-per-second"),
            Burst = g.Int("burst"),
            FatalRateMultiplier = g.Int("fatal-rate-multiplier"),
            MaxConnections = g.Int("max-connections"),
            CloseLinger = g.Duration("close-linger"),
            CloseLingerBytes = g.Bytes("close-linger-bytes"),
            SocketSendBuffer = g.Int("socket-send-buffer"),
            EntityAskAttempts = g.Int("entity-ask-attempts"),
            EntityAskTimeout = g.Duration("entity-ask-timeout"),
            LoginTimeout = g.Duration("login-timeout"),
        };

        // A connection is behind past a quarter of its outbound bound: time dilation counts it, conflation skips its deltas.
        var behindBytes = gateway.MaxOutboundBytes / 4;
        return new GameSettings(
            world,
            new SectorSettings(s.Duration("snapshot-interval"), s.Duration("passivate-after"), DilationRules.Checked(
                s.Number("time-dilation.max-tick-share"),
                s.Number("time-dilation.floor"),
                s.Number("time-dilation.smoothing"),
                s.Number("time-dilation.recovery-per-tick"),
                s.Number("time-dilation.max-behind-share")),
                InterestRadius(s.Number("interest-radius")),
                gateway.MaxFrameBytes,
                behindBytes,
                s.Boolean("conflation") ? Frames.ConflationRules.Checked(behindBytes, gateway.MaxOutboundBytes, s.Duration("stall-timeout")) : null,
                InterestCellsPerRadius(s.Int("interest-cells-per-radius"))),
            new PlayerSettings(p.Int("snapshot-every"), p.Int("remembered-operations")),
            gateway,
            new AuthSettings(a.Text("secret"), a.Boolean("allow-guests"), a.Duration("resume-token-ttl")));
    }

    private static float InterestRadius(double radius) => radius >= 0 && double.IsFinite(radius)
        ? (float)radius
        : throw new FormatException($"akkagame.sector.interest-radius must be 0 (off) or a distance above 0, not {radius}");

    private static int InterestCellsPerRadius(int cells) => cells is >= 1 and <= InterestGrid.MaxCellsPerRadius
        ? cells
        : throw new FormatException($"akkagame.sector.interest-cells-per-radius must be from 1 to {InterestGrid.MaxCellsPerRadius}, not {cells}");

    /// <summary>The session limits, for the core's <see cref="SessionGate"/>.</summary>
    public SessionRules SessionRules => new()
    {
        MaxFrameBytes = Gateway.MaxFrameBytes,
        HelloTimeout = Gateway.HelloTimeout,
        IdleTimeout = Gateway.IdleTimeout,
        MaxMessagesPerSecond = Gateway.MaxMessagesPerSecond,
        Burst = Gateway.Burst,
        FatalRateMultiplier = Gateway.FatalRateMultiplier,
        ChatMaxLength = World.ChatMaxLength,
        AllowGuests = Auth.AllowGuests,
        ResumeTokenTtl = Auth.ResumeTokenTtl,
    };

    /// <summary>One section's keys, each required: a missing or unreadable value names its full path.</summary>
    private readonly struct Section(ISettingSource source, string prefix)
    {
        public string Text(string key) => source.GetText(prefix + "." + key) ?? throw new FormatException($"{prefix}.{key} is missing from the game configuration");

        public int Int(string key) => Read(key, SettingText.Int);

        public double Number(string key) => Read(key, SettingText.Number);

        public bool Boolean(string key) => Read(key, SettingText.Boolean);

        public TimeSpan Duration(string key) => Read(key, SettingText.Duration);

        public long Bytes(string key) => Read(key, SettingText.Bytes);

        private T Read<T>(string key, Func<string, T> parse)
        {
            var text = Text(key);
            try
            {
                return parse(text);
            }
            catch (Exception ex) when (ex is FormatException or OverflowException)
            {
                throw new FormatException($"{prefix}.{key}: {ex.Message}", ex);
            }
        }
    }
}
