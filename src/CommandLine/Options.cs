using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using AkkaGame.Protocol;

namespace AkkaGame.CommandLine;

/// <summary>
/// The kinds of option every AkkaGame program takes, built on System.CommandLine: each may fall
/// back to an environment variable (the command line wins), and durations have one grammar
/// (<see cref="Durations"/>: 500ms, 90s, 30m, 24h, 7d, or plain seconds). A bad value, on the
/// command line or in the variable, is a parse error that names the option.
/// </summary>
public sealed class Options
{
    private readonly Func<string, string?> _environment;
    private readonly Dictionary<Option, string> _secretVariables = [];

    /// <param name="environment">Reads an environment variable (tests pass their own).</param>
    public Options(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
    }

    /// <summary>Free text; null when neither given nor in <paramref name="variable"/> and no fallback.</summary>
    public Option<string?> Text(string name, string description, string? variable = null, string? fallback = null) =>
        Make(name, description, variable, fallback, (string text, out string? value, out string? error) =>
        {
            value = text;
            error = null;
            return true;
        });

    /// <summary>
    /// A secret (HMAC keys, operator secrets): its variable is read only when the value is taken
    /// (<see cref="SecretValue"/>), never as a default, so --help cannot print it.
    /// </summary>
    public Option<string?> Secret(string name, string description, string variable)
    {
        var option = new Option<string?>("--" + name) { Description = $"{description} [env {variable}]", Arity = ArgumentArity.ExactlyOne };
        _secretVariables[option] = variable;
        return option;
    }

    /// <summary>A secret's value: the command line's, else its environment variable's, else null.</summary>
    public string? SecretValue(ParseResult parsed, Option<string?> secret)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        return parsed.GetValue(secret) is { Length: > 0 } given
            ? given
            : _environment(_secretVariables[secret]) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
    }

    /// <summary>A port that may be left out (null: the program's configuration decides).</summary>
    public Option<int?> OptionalPort(string name, string description, string? variable = null) =>
        Make<int?>(name, description, variable, null, (string text, out int? value, out string? error) =>
        {
            var ok = TryPort(text, out var port, out error);
            value = ok ? port : null;
            return ok;
        });

    /// <summary>A whole number from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public Option<int> Int(string name, string description, int fallback, int min = int.MinValue, int max = int.MaxValue, string? variable = null) =>
        Make(name, description, variable, fallback, (string text, out int value, out string? error) =>
        {
            var ok = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
            error = ok ? null : Range(min, max);
            return ok;
        });

    /// <summary>A TCP port (0 to 65535; 0 picks a free one where the program says so).</summary>
    public Option<int> Port(string name, string description, int fallback, string? variable = null) =>
        Make(name, description, variable, fallback, (string text, out int value, out string? error) => TryPort(text, out value, out error));

    /// <summary>A whole number that may be left out (null: the program decides, e.g. per scenario).</summary>
    public Option<int?> OptionalInt(string name, string description, int min = int.MinValue, int max = int.MaxValue) =>
        Make<int?>(name, description, null, null, (string text, out int? value, out string? error) =>
        {
            var ok = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max;
            value = ok ? n : null;
            error = ok ? null : Range(min, max);
            return ok;
        });

    /// <summary>A positive number that may be left out (null: the program decides).</summary>
    public Option<double?> OptionalPositive(string name, string description) =>
        Make<double?>(name, description, null, null, (string text, out double? value, out string? error) =>
        {
            var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n > 0;
            value = ok ? n : null;
            error = ok ? null : "is not a positive number";
            return ok;
        });

    /// <summary>A positive number (decimals allowed).</summary>
    public Option<double> Positive(string name, string description, double fallback, string? variable = null) =>
        Make(name, description, variable, fallback, (string text, out double value, out string? error) =>
        {
            var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value) && value > 0;
            error = ok ? null : "is not a positive number";
            return ok;
        });

    /// <summary>true or false.</summary>
    public Option<bool> Bool(string name, string description, bool fallback, string? variable = null) =>
        Make(name, description, variable, fallback, (string text, out bool value, out string? error) =>
        {
            var ok = bool.TryParse(text, out value);
            error = ok ? null : "is not true or false";
            return ok;
        });

    /// <summary>A duration in the one grammar; zero only if <paramref name="allowZero"/>.</summary>
    public Option<TimeSpan> Duration(string name, string description, TimeSpan fallback, bool allowZero = false, string? variable = null) =>
        Make(name, description, variable, fallback, (string text, out TimeSpan value, out string? error) =>
        {
            var ok = Durations.TryParse(text, out value, allowZero);
            error = ok ? null : $"is not a duration like {Durations.Examples}";
            return ok;
        });

    /// <summary>A comma-separated list (empty entries dropped); an empty one is an error when <paramref name="atLeastOne"/>.</summary>
    public Option<IReadOnlyList<string>> List(string name, string description, IReadOnlyList<string> fallback, string? variable = null, bool atLeastOne = false) =>
        Make(name, description, variable, fallback, (string text, out IReadOnlyList<string> value, out string? error) =>
        {
            value = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var ok = value.Count > 0 || !atLeastOne;
            error = ok ? null : "needs at least one value";
            return ok;
        });

    private static bool TryPort(string text, out int port, out string? error)
    {
        var ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
        error = ok ? null : "is not a port";
        return ok;
    }

    private static string Range(int min, int max) =>
        (min, max) switch
        {
            (int.MinValue, int.MaxValue) => "is not a whole number",
            (_, int.MaxValue) => $"is not a whole number of at least {min}",
            _ => $"is not a whole number from {min} to {max}",
        };

    private delegate bool TryParse<T>(string text, out T value, out string? error);

    private Option<T> Make<T>(string name, string description, string? variable, T fallback, TryParse<T> parse)
    {
        var option = new Option<T>("--" + name)
        {
            Description = variable is null ? description : $"{description} [env {variable}]",
            Arity = ArgumentArity.ExactlyOne,
        };
        option.CustomParser = result => Parse(result, result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty, "--" + name, parse, fallback);
        option.DefaultValueFactory = result =>
            variable is not null && _environment(variable) is { Length: > 0 } text
                ? Parse(result, text, variable, parse, fallback)
                : fallback;
        return option;
    }

    private static T Parse<T>(ArgumentResult result, string text, string source, TryParse<T> parse, T fallback)
    {
        if (parse(text, out var value, out var error))
        {
            return value;
        }

        result.AddError($"{source}: '{text}' {error}");
        return fallback;
    }
}
