using System.Globalization;

namespace AkkaGame.Game.Configuration;

/// <summary>
/// How a setting's text is read, as HOCON reads it (and Akka with it, checked by a test): a
/// duration is a number with a unit (<c>ns</c>, <c>micros</c>, <c>ms</c>, <c>s</c>, <c>m</c>,
/// <c>h</c>, <c>d</c> or their long names), a plain number being milliseconds; a size is a whole
/// number of bytes with an optional unit (<c>kB</c> = 1000, <c>KiB</c>/<c>K</c> = 1024, and so on
/// up to tera); a boolean is true/false or on/off. What Akka refuses (<c>us</c>, <c>yes</c>,
/// <c>1.5KiB</c>, exponents) is refused here too.
/// </summary>
public static class SettingText
{
    private static readonly (string[] Names, double Milliseconds)[] TimeUnits =
    [
        (["ns", "nano", "nanos", "nanosecond", "nanoseconds"], 1e-6),
        (["micro", "micros", "microsecond", "microseconds"], 1e-3),
        (["ms", "milli", "millis", "millisecond", "milliseconds"], 1),
        (["s", "second", "seconds"], 1000),
        (["m", "minute", "minutes"], 60_000),
        (["h", "hour", "hours"], 3_600_000),
        (["d", "day", "days"], 86_400_000),
    ];

    private static readonly (string[] Names, long Bytes)[] SizeUnits =
    [
        (["B", "b", "byte", "bytes"], 1),
        (["kB", "kilobyte", "kilobytes"], 1000),
        (["K", "k", "Ki", "KiB", "kibibyte", "kibibytes"], 1024),
        (["MB", "megabyte", "megabytes"], 1000 * 1000),
        (["M", "m", "Mi", "MiB", "mebibyte", "mebibytes"], 1024 * 1024),
        (["GB", "gigabyte", "gigabytes"], 1000 * 1000 * 1000),
        (["G", "g", "Gi", "GiB", "gibibyte", "gibibytes"], 1024L * 1024 * 1024),
        (["TB", "terabyte", "terabytes"], 1000L * 1000 * 1000 * 1000),
        (["T", "t", "Ti", "TiB", "tebibyte", "tebibytes"], 1024L * 1024 * 1024 * 1024),
    ];

    private const NumberStyles Decimal = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    public static TimeSpan Duration(string text)
    {
        var (number, unit) = Split(text);
        if (!double.TryParse(number, Decimal, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{text}' is not a duration (a number and a unit: 500ms, 10s, 2m, 24h)");
        }

        if (unit.Length == 0)
        {
            return TimeSpan.FromMilliseconds(value);
        }

        foreach (var (names, milliseconds) in TimeUnits)
        {
            if (names.Contains(unit, StringComparer.Ordinal))
            {
                return TimeSpan.FromTicks((long)Math.Round(value * milliseconds * TimeSpan.TicksPerMillisecond));
            }
        }

        throw new FormatException($"'{text}': '{unit}' is not a time unit (ns, micros, ms, s, m, h, d)");
    }

    public static long Bytes(string text)
    {
        var (number, unit) = Split(text);
        if (!long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{text}' is not a size (bytes, or a number and a unit: 64KiB, 1MiB)");
        }

        if (unit.Length == 0)
        {
            return value;
        }

        foreach (var (names, bytes) in SizeUnits)
        {
            if (names.Contains(unit, StringComparer.Ordinal))
            {
                return checked(value * bytes);
            }
        }

        throw new FormatException($"'{text}': '{unit}' is not a size unit (B, kB, KiB, MB, MiB, GB, GiB, TB, TiB)");
    }

    public static bool Boolean(string text) => text switch
    {
        "true" or "on" => true,
        "false" or "off" => false,
        _ => throw new FormatException($"'{text}' is not a boolean (true/false, on/off)"),
    };

    public static int Int(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a whole number");

    public static double Number(string text) =>
        double.TryParse(text, Decimal, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a number");

    private static (string Number, string Unit) Split(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.Length;
        while (end > 0 && char.IsLetter(trimmed[end - 1]))
        {
            end--;
        }

        return (trimmed[..end].TrimEnd(), trimmed[end..]);
    }
}
