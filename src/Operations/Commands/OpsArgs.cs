using System.Globalization;

using AkkaGame.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary>
/// A command's arguments after its name: positional words and <c>--name value</c> options.
/// Every accessor throws <see cref="OpsUsageException"/> with the command's usage on misuse.
/// </summary>
public sealed class OpsArgs
{
    private readonly Dictionary<string, string> _options;
    private readonly string _usage;

    private OpsArgs(IReadOnlyList<string> positional, Dictionary<string, string> options, string usage)
    {
        Positional = positional;
        _options = options;
        _usage = usage;
    }

    public IReadOnlyList<string> Positional { get; }

    public static OpsArgs Parse(IReadOnlyList<string> words, IOpsCommand command)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentNullException.ThrowIfNull(command);
        var usage = OpsCommand.UsageOf(command);
        var positional = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (!word.StartsWith("--", StringComparison.Ordinal) || word.Length == 2)
            {
                positional.Add(word);
                continue;
            }

            var name = word[2..];
            string? value = null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (!command.Options.Contains(name))
            {
                throw new OpsUsageException($"unknown option --{name}; usage: {usage}");
            }

            if (value is null)
            {
                if (i + 1 >= words.Count)
                {
                    throw new OpsUsageException($"option --{name} needs a value; usage: {usage}");
                }

                value = words[++i];
            }

            options[name] = value;
        }

        return new OpsArgs(positional, options, usage);
    }

    /// <summary>Checks the number of positional words.</summary>
    public OpsArgs Expect(int min, int max)
    {
        if (Positional.Count < min)
        {
            throw new OpsUsageException($"missing arguments; usage: {_usage}");
        }

        if (Positional.Count > max)
        {
            throw new OpsUsageException($"unexpected argument '{Positional[max]}'; usage: {_usage}");
        }

        return this;
    }

    public string Required(int index) =>
        index < Positional.Count ? Positional[index] : throw new OpsUsageException($"missing arguments; usage: {_usage}");

    /// <summary>All positional words from <paramref name="from"/>, joined by spaces (free text).</summary>
    public string Text(int from)
    {
        if (Positional.Count <= from)
        {
            throw new OpsUsageException($"missing text; usage: {_usage}");
        }

        return string.Join(' ', Positional.Skip(from));
    }

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public int Int(int index, int fallback, int min, int max) =>
        index < Positional.Count ? ParseInt(Positional[index], min, max) : fallback;

    public int IntOption(string name, int fallback, int min, int max) =>
        Option(name) is { } text ? ParseInt(text, min, max) : fallback;

    /// <summary>Durations in the grammar every AkkaGame program uses (<see cref="Durations"/>): 500ms, 90s, 30m, 24h, 7d.</summary>
    public TimeSpan DurationOption(string name, TimeSpan fallback)
    {
        if (Option(name) is not { } text)
        {
            return fallback;
        }

        return Durations.TryParse(text, out var duration)
            ? duration
            : throw new OpsUsageException($"--{name}: '{text}' is not a duration like {Durations.Examples}");
    }

    private int ParseInt(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new OpsUsageException($"'{text}' is not a number from {min} to {max}; usage: {_usage}");
}
