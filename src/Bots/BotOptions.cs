using AkkaGame.Protocol;
using System.Globalization;

namespace AkkaGame.Bots;

/// <summary>The command line of the bot load generator, parsed and checked up front.</summary>
internal sealed record BotOptions(
    IReadOnlyList<string> Endpoints,
    int Bots,
    TimeSpan Duration,
    string? TokenFile,
    double Ramp,
    int Seed)
{
    public const string Usage =
        "usage: dotnet run --project src/Bots -- --endpoints host:port[,host:port...] [--bots N] " +
        "[--duration 60s] [--token-file F] [--ramp connects-per-second] [--seed N]";

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static BotOptions Parse(IReadOnlyList<string> args)
    {
        string[] endpoints = ["127.0.0.1:7777"];
        var bots = 10;
        var duration = TimeSpan.FromSeconds(60);
        string? tokenFile = null;
        var ramp = 50.0;
        var seed = Environment.TickCount;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--endpoints":
                    endpoints = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--bots":
                    bots = PositiveInt(name, value);
                    break;
                case "--duration":
                    duration = Durations.Parse(value);
                    break;
                case "--token-file":
                    tokenFile = value;
                    break;
                case "--ramp":
                    ramp = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r > 0
                        ? r
                        : throw new ArgumentException($"--ramp must be a positive number, not '{value}'");
                    break;
                case "--seed":
                    seed = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
                        ? s
                        : throw new ArgumentException($"--seed must be an integer, not '{value}'");
                    break;
                default:
                    throw new ArgumentException($"unknown option {name}");
            }
        }

        if (endpoints.Length == 0)
        {
            throw new ArgumentException("--endpoints needs at least one host:port");
        }

        return new BotOptions(endpoints, bots, duration, tokenFile, ramp, seed);
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'");
}
