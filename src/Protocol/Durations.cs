using System;
using System.Globalization;

namespace AkkaGame.Protocol;

/// <summary>
/// The one way every AkkaGame program reads a duration on its command line (the node's
/// <c>token mint --ttl</c>, the operator endpoint's options, the bots and the benchmark's load
/// generator): a number (decimals allowed) with a unit, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or
/// <c>d</c>, or a plain number of seconds: <c>500ms</c>, <c>90s</c>, <c>1.5m</c>, <c>24h</c>, <c>7d</c>, <c>30</c>.
/// </summary>
public static class Durations
{
    public const string Examples = "500ms, 90s, 30m, 24h, 7d";

    /// <summary>False for anything else, for zero unless <paramref name="allowZero"/>, and for negatives.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, bool allowZero = false)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text!.Trim();
        var (number, seconds) =
            text.EndsWith("ms", StringComparison.Ordinal) ? (text.Substring(0, text.Length - 2), 0.001)
            : text.EndsWith('s') ? (text.Substring(0, text.Length - 1), 1.0)
            : text.EndsWith('m') ? (text.Substring(0, text.Length - 1), 60.0)
            : text.EndsWith('h') ? (text.Substring(0, text.Length - 1), 3600.0)
            : text.EndsWith('d') ? (text.Substring(0, text.Length - 1), 86400.0)
            : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || double.IsInfinity(value * seconds)
            || value * seconds > TimeSpan.MaxValue.TotalSeconds
            || (value == 0 && !allowZero))
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * seconds);
        return true;
    }

    /// <summary>As <see cref="TryParse"/>, throwing <see cref="ArgumentException"/> that names the grammar.</summary>
    public static TimeSpan Parse(string text, bool allowZero = false) =>
        TryParse(text, out var duration, allowZero)
            ? duration
            : throw new ArgumentException($"'{text}' is not a duration like {Examples}");
}
