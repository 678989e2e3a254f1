using System.Globalization;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>A command line option that is unknown or has a bad value.</summary>
public sealed class PeerOptionsException : Exception
{
    public PeerOptionsException()
    {
    }

    public PeerOptionsException(string message)
        : base(message)
    {
    }

    public PeerOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The peers' command line: the options the benchmark needs to vary, named as the node names them.
/// The auth secret may also come from AKKAGAME_AUTH_SECRET, like the node's; the command line wins.
/// </summary>
public static class PeerOptions
{
    public const string SecretVariable = "AKKAGAME_AUTH_SECRET";

    public static string Usage(string name) =>
        $"""
        usage: {name} [options]
          --port P              TCP port on 127.0.0.1 (0: any free port; default 7777)
          --tick-hz N           sector ticks per second (default 20)
          --ship-speed U        ship speed in units per second (default 100)
          --reconnect-grace S   seconds a disconnected ship waits for its player (default 30)
          --auth-secret S       HMAC secret for tokens (default: ${SecretVariable}, else random per run)
          --allow-guests B      true or false (default true)
        """;

    /// <summary>Parses the options; null when help was asked for. Throws <see cref="PeerOptionsException"/>.</summary>
    public static PeerSettings? Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var settings = new PeerSettings();
        if (environment(SecretVariable) is { Length: > 0 } secret)
        {
            settings = settings with { AuthSecret = secret };
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                return null;
            }

            string name;
            string value;
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }
            else
            {
                name = arg;
                value = i + 1 < args.Count ? args[++i] : throw new PeerOptionsException($"{arg} needs a value");
            }

            settings = Apply(settings, name, value);
        }

        return settings;
    }

    private static PeerSettings Apply(PeerSettings settings, string name, string value) => name switch
    {
        "--port" => settings with { Port = Int(name, value, 0, 65535) },
        "--tick-hz" => settings with { World = settings.World with { TickHz = Int(name, value, 1, 1000) } },
        "--ship-speed" => settings with { World = settings.World with { ShipSpeed = Float(name, value) } },
        "--reconnect-grace" => settings with { World = settings.World with { ReconnectGrace = TimeSpan.FromSeconds(Float(name, value)) } },
        "--auth-secret" => settings with { AuthSecret = value.Length >= 16 ? value : throw new PeerOptionsException("--auth-secret must be at least 16 characters") },
        "--allow-guests" => settings with { Session = settings.Session with { AllowGuests = bool.TryParse(value, out var b) ? b : throw new PeerOptionsException($"--allow-guests: '{value}' is not true or false") } },
        _ => throw new PeerOptionsException($"unknown option {name}"),
    };

    private static int Int(string name, string value, int min, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new PeerOptionsException($"{name}: '{value}' is not a whole number from {min} to {max}");

    private static float Float(string name, string value) =>
        float.TryParse(value.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && float.IsFinite(f) && f > 0
            ? f
            : throw new PeerOptionsException($"{name}: '{value}' is not a positive number");
}
