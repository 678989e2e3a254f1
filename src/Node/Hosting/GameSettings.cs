using Akka.Configuration;
using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Node.Hosting;

public sealed record SectorSettings(TimeSpan SnapshotInterval, TimeSpan PassivateAfter);

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
