using AkkaGame.Protocol;
using System.Globalization;

namespace AkkaGame.Bots.Bench;

/// <summary>The scenarios of the benchmark mode (issue 5); see bench/README.md.</summary>
internal enum Scenario
{
    Idle,
    Movers,
    HotSector,
    Economy,
    Storm,
    Churn,
}

/// <summary>The command line of the benchmark mode (<c>--scenario NAME</c>), with per-scenario defaults.</summary>
internal sealed record BenchOptions(
    Scenario Scenario,
    string ScenarioName,
    IReadOnlyList<string> Endpoints,
    int Clients,
    int Sectors,
    double Rate,
    double Ramp,
    TimeSpan Duration,
    TimeSpan Warmup,
    TimeSpan PingInterval,
    TimeSpan ConnectTimeout,
    TimeSpan SetupTimeout,
    int Seed,
    string? AuthSecret,
    string? TokenFile,
    IReadOnlyList<int> ServerPids,
    string? JsonFile,
    string? Label,
    int WorldX,
    int WorldY)
{
    public const string Usage =
        "usage: AkkaGame.Bots --scenario idle|movers|hot-sector|economy|storm|churn --endpoints host:port[,...]\n" +
        "  [--clients N] [--sectors M] [--rate R per client per second] [--ramp connects/s]\n" +
        "  [--duration 30s] [--warmup 5s] [--ping-interval 2s] [--connect-timeout 60s] [--setup-timeout 20s]\n" +
        "  [--auth-secret S (mint tokens for chosen home sectors)] [--token-file F] [--seed N]\n" +
        "  [--server-pid PID[,PID...]] [--json FILE] [--label TEXT] [--world 8x8]";

    /// <summary>True when the arguments ask for the benchmark mode.</summary>
    public static bool IsBenchmark(IReadOnlyList<string> args) => args.Contains("--scenario");

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{name}'");
            }

            values[name] = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
        }

        string? Take(string name) => values.Remove(name, out var v) ? v : null;

        var scenarioName = Take("--scenario") ?? throw new ArgumentException("--scenario is required");
        var scenario = scenarioName switch
        {
            "idle" => Scenario.Idle,
            "movers" => Scenario.Movers,
            "hot-sector" => Scenario.HotSector,
            "economy" => Scenario.Economy,
            "storm" => Scenario.Storm,
            "churn" => Scenario.Churn,
            _ => throw new ArgumentException($"unknown scenario '{scenarioName}'"),
        };

        // Defaults per scenario: (clients, sectors, rate per client per second, ramp).
        var (clients, sectors, rate, ramp) = scenario switch
        {
            Scenario.Idle => (1000, 64, 1.0, 200.0),
            Scenario.Movers => (200, 16, 2.0, 200.0),
            Scenario.HotSector => (300, 1, 2.0, 200.0),

            // Mining is allowed once per second: 0.95/s keeps timer jitter from causing COOLDOWN.
            Scenario.Economy => (200, 64, 0.95, 200.0),
            Scenario.Storm => (1000, 64, 0.5, 100.0),
            Scenario.Churn => (200, 16, 0.5, 200.0),
            _ => (10, 1, 1.0, 50.0),
        };

        var endpoints = (Take("--endpoints") ?? "127.0.0.1:7777")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        clients = Take("--clients") is { } c ? PositiveInt("--clients", c) : Take("--bots") is { } b ? PositiveInt("--bots", b) : clients;
        sectors = Take("--sectors") is { } s ? PositiveInt("--sectors", s) : sectors;
        rate = Take("--rate") is { } r ? PositiveDouble("--rate", r) : rate;
        ramp = Take("--ramp") is { } rp ? PositiveDouble("--ramp", rp) : ramp;
        var duration = Take("--duration") is { } d ? Durations.Parse(d) : TimeSpan.FromSeconds(30);
        var warmup = Take("--warmup") is { } w ? Durations.Parse(w, allowZero: true) : TimeSpan.FromSeconds(5);
        var ping = Take("--ping-interval") is { } p ? Durations.Parse(p) : TimeSpan.FromSeconds(2);
        var connectTimeout = Take("--connect-timeout") is { } ct ? Durations.Parse(ct) : TimeSpan.FromSeconds(60);
        var setupTimeout = Take("--setup-timeout") is { } st ? Durations.Parse(st) : TimeSpan.FromSeconds(20);
        var seed = Take("--seed") is { } sd
            ? int.Parse(sd, NumberStyles.Integer, CultureInfo.InvariantCulture)
            : 42;
        var pids = (Take("--server-pid") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => PositiveInt("--server-pid", x))
            .ToArray();
        var (worldX, worldY) = (8, 8);
        if (Take("--world") is { } world)
        {
            var parts = world.Split('x');
            (worldX, worldY) = parts.Length == 2
                ? (PositiveInt("--world", parts[0]), PositiveInt("--world", parts[1]))
                : throw new ArgumentException($"--world must look like 8x8, not '{world}'");
        }

        var options = new BenchOptions(
            scenario,
            scenarioName,
            endpoints,
            clients,
            Math.Min(sectors, worldX * worldY),
            rate,
            ramp,
            duration,
            warmup,
            ping,
            connectTimeout,
            setupTimeout,
            seed,
            Take("--auth-secret"),
            Take("--token-file"),
            pids,
            Take("--json"),
            Take("--label"),
            worldX,
            worldY);
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option {values.Keys.First()}");
        }

        if (options.Endpoints.Count == 0)
        {
            throw new ArgumentException("--endpoints needs at least one host:port");
        }

        return options;
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'");

    private static double PositiveDouble(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive number, not '{value}'");
}
