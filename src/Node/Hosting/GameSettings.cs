using Akka.Configuration;
using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Node.Hosting;

public sealed record SectorSettings(TimeSpan SnapshotInterval, TimeSpan PassivateAfter);

public sealed record PlayerSettings(int SnapshotEvery, int RememberedOperations);

public sealed record GatewaySettings
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 7777;
    public int MaxFrameBytes { get; init; } = 65536;
    public long MaxOutboundBytes { get; init; } = 256 * 1024;
    public long MaxWriteBytes { get; init; } = 64 * 1024;
    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxMessagesPerSecond { get; init; } = 50;
    public int Burst { get; init; } = 100;
    public int FatalRateMultiplier { get; init; } = 5;
    public int MaxConnections { get; init; } = 20000;
    public TimeSpan CloseLinger { get; init; } = TimeSpan.FromSeconds(2);
    public long CloseLingerBytes { get; init; } = 1024 * 1024;
    public int SocketSendBuffer { get; init; }
    public int EntityAskAttempts { get; init; } = 15;
    public TimeSpan EntityAskTimeout { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromSeconds(4);
}

public sealed record AuthSettings(string Secret, bool AllowGuests, TimeSpan ResumeTokenTtl);

/// <summary>Everything under the akkagame section, read once at start.</summary>
public sealed record GameSettings(WorldRules World, SectorSettings Sector, PlayerSettings Player, GatewaySettings Gateway, AuthSettings Auth)
{
    public static GameSettings From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var w = config.GetConfig("akkagame.world");
        var s = config.GetConfig("akkagame.sector");
        var p = config.GetConfig("akkagame.player");
        var g = config.GetConfig("akkagame.gateway");
        var a = config.GetConfig("akkagame.auth");
        var world = new WorldRules
        {
            SectorsX = w.GetInt("sectors-x"),
            SectorsY = w.GetInt("sectors-y"),
            Width = (float)w.GetDouble("sector-width"),
            Height = (float)w.GetDouble("sector-height"),
            TickHz = w.GetInt("tick-hz"),
            ShipSpeed = (float)w.GetDouble("ship-speed"),
            MiningRange = (float)w.GetDouble("mining-range"),
            JumpRange = (float)w.GetDouble("jump-range"),
            MineAmount = w.GetInt("mine-amount"),
            MineCooldown = w.GetTimeSpan("mine-cooldown"),
            AsteroidsPerSector = w.GetInt("asteroids-per-sector"),
            AsteroidMaxOre = w.GetInt("asteroid-max-ore"),
            AsteroidRegenPerSecond = w.GetInt("asteroid-regen-per-second"),
            ChatHistory = w.GetInt("chat-history"),
            ChatMaxLength = w.GetInt("chat-max-length"),
            ReconnectGrace = s.GetTimeSpan("reconnect-grace"),
        };
        var gateway = new GatewaySettings
        {
            Host = g.GetString("host"),
            Port = g.GetInt("port"),
            MaxFrameBytes = g.GetInt("max-frame-bytes"),
            MaxOutboundBytes = g.GetByteSize("max-outbound-bytes") ?? 256 * 1024,
            MaxWriteBytes = g.GetByteSize("max-write-bytes") ?? 64 * 1024,
            HelloTimeout = g.GetTimeSpan("hello-timeout"),
            IdleTimeout = g.GetTimeSpan("idle-timeout"),
            MaxMessagesPerSecond = g.GetInt("max-messages-per-second"),
            Burst = g.GetInt("burst"),
            FatalRateMultiplier = g.GetInt("fatal-rate-multiplier"),
            MaxConnections = g.GetInt("max-connections"),
            CloseLinger = g.GetTimeSpan("close-linger"),
            CloseLingerBytes = g.GetByteSize("close-linger-bytes") ?? 1024 * 1024,
            SocketSendBuffer = g.GetInt("socket-send-buffer"),
            EntityAskAttempts = g.GetInt("entity-ask-attempts"),
            EntityAskTimeout = g.GetTimeSpan("entity-ask-timeout"),
            LoginTimeout = g.GetTimeSpan("login-timeout"),
        };
        return new GameSettings(
            world,
            new SectorSettings(s.GetTimeSpan("snapshot-interval"), s.GetTimeSpan("passivate-after")),
            new PlayerSettings(p.GetInt("snapshot-every"), p.GetInt("remembered-operations")),
            gateway,
            new AuthSettings(a.GetString("secret") ?? string.Empty, a.GetBoolean("allow-guests"), a.GetTimeSpan("resume-token-ttl")));
    }

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
}
