using System.Globalization;
using System.Text;

namespace AkkaGame.Game.Configuration;

/// <summary>
/// <c>hocon/game.conf</c> as the core reads it, without Akka: the file is embedded in this
/// assembly, so every program built on the core (the node, the peers, the bots) starts from the
/// same text, and <see cref="Defaults"/> are the rules PROTOCOL.md states.
/// <para>
/// The reader knows the part of HOCON that game.conf uses: nested objects (<c>a { }</c>,
/// <c>a = { }</c>), <c>key = value</c> and <c>key : value</c>, dotted keys, quoted and unquoted
/// values, <c>#</c> and <c>//</c> comments; a later value for a key replaces an earlier one.
/// Anything else (includes, substitutions, arrays) is refused with its line, never guessed at.
/// </para>
/// </summary>
public sealed class GameConf : ISettingSource
{
    private const string ResourceName = "AkkaGame.game.conf";

    private readonly Dictionary<string, string> _values;

    private GameConf(Dictionary<string, string> values) => _values = values;

    /// <summary>The text of hocon/game.conf as built into the core.</summary>
    public static string DefaultsText { get; } = ReadEmbedded();

    /// <summary>hocon/game.conf, parsed.</summary>
    public static GameConf DefaultsFile { get; } = Parse(DefaultsText);

    /// <summary>Every setting as hocon/game.conf has it.</summary>
    public static GameSettings Defaults { get; } = GameSettings.Read(DefaultsFile);

    public string? GetText(string path) => _values.TryGetValue(path, out var value) ? value : null;

    /// <summary>Reads configuration text; <see cref="FormatException"/> names the line of anything outside the subset.</summary>
    public static GameConf Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new Reader(text);
        reader.ReadObjectBody(prefix: string.Empty, values, closedByBrace: false);
        return new GameConf(values);
    }

    private static string ReadEmbedded()
    {
        using var stream = typeof(GameConf).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(GameConf).Assembly.GetName().Name}");
        using var text = new StreamReader(stream, Encoding.UTF8);
        return text.ReadToEnd();
    }

    private sealed class Reader(string text)
    {
        private int _at;

        private int Line => text.AsSpan(0, Math.Min(_at, text.Length)).Count('\n') + 1;

        private bool AtEnd => _at >= text.Length;

        private char Current => text[_at];

        public void ReadObjectBody(string prefix, Dictionary<string, string> into, bool closedByBrace)
        {
            while (true)
            {
                SkipBlank(newlines: true, commas: true);
                if (AtEnd)
                {
                    if (closedByBrace)
                    {
                        throw Error("'}' expected before the end");
                    }

                    return;
                }

                if (Current == '}')
                {
                    if (!closedByBrace)
                    {
                        throw Error("'}' without its '{'");
                    }

                    _at++;
                    return;
                }

                var key = ReadKey();
                var path = prefix.Length == 0 ? key : prefix + "." + key;
                SkipBlank(newlines: false, commas: false);
                if (!AtEnd && (Current == '=' || Current == ':'))
                {
                    _at++;
                    SkipBlank(newlines: false, commas: false);
                }

                if (!AtEnd && Current == '{')
                {
                    _at++;
                    ReadObjectBody(path, into, closedByBrace: true);
                    continue;
                }

                into[path] = ReadValue();
            }
        }

        private string ReadKey()
        {
            if (text.AsSpan(_at).StartsWith("include", StringComparison.Ordinal) && _at + 7 < text.Length && char.IsWhiteSpace(text[_at + 7]))
            {
                throw Error("include is not supported here");
            }

            if (Current == '"')
            {
                return ReadQuoted();
            }

            var start = _at;
            while (!AtEnd && (char.IsLetterOrDigit(Current) || Current is '-' or '_' or '.'))
            {
                _at++;
            }

            if (_at == start)
            {
                throw Error($"a key expected, found '{Current}'");
            }

            return text[start.._at];
        }

        private string ReadValue()
        {
            if (AtEnd)
            {
                throw Error("a value expected before the end");
            }

            if (Current == '"')
            {
                var quoted = ReadQuoted();
                EndOfValue();
                return quoted;
            }

            if (Current is '[' or '$')
            {
                throw Error("arrays and substitutions are not supported here");
            }

            var start = _at;
            while (!AtEnd && Current is not ('\n' or '\r' or ',' or '}' or '#') && !text.AsSpan(_at).StartsWith("//", StringComparison.Ordinal))
            {
                if (Current is '{' or '[' or '"' || text.AsSpan(_at).StartsWith("${", StringComparison.Ordinal))
                {
                    throw Error($"'{Current}' inside an unquoted value");
                }

                _at++;
            }

            var value = text[start.._at].Trim();
            if (value.Length == 0)
            {
                throw Error("a value expected");
            }

            return value;
        }

        private string ReadQuoted()
        {
            var line = Line;
            _at++;
            var value = new StringBuilder();
            while (!AtEnd && Current != '"')
            {
                if (Current is '\n')
                {
                    break;
                }

                if (Current == '\\' && _at + 1 < text.Length)
                {
                    _at++;
                    value.Append(Current switch
                    {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        '"' or '\\' or '/' => Current,
                        _ => throw Error($"the escape '\\{Current}' is not supported here"),
                    });
                }
                else
                {
                    value.Append(Current);
                }

                _at++;
            }

            if (AtEnd || Current != '"')
            {
                throw new FormatException($"game configuration, line {line.ToString(CultureInfo.InvariantCulture)}: a quoted string without its closing quote");
            }

            _at++;
            return value.ToString();
        }

        /// <summary>After a quoted value only blanks, a comment, a comma, a brace or the line's end may follow.</summary>
        private void EndOfValue()
        {
            SkipBlank(newlines: false, commas: false);
            if (!AtEnd && Current is not ('\n' or '\r' or ',' or '}'))
            {
                throw Error($"'{Current}' after a quoted value");
            }
        }

        private void SkipBlank(bool newlines, bool commas)
        {
            while (!AtEnd)
            {
                if (Current == '#' || text.AsSpan(_at).StartsWith("//", StringComparison.Ordinal))
                {
                    while (!AtEnd && Current != '\n')
                    {
                        _at++;
                    }
                }
                else if (Current is ' ' or '\t' || (newlines && Current is '\n' or '\r') || (commas && Current == ','))
                {
                    _at++;
                }
                else
                {
                    return;
                }
            }
        }

        private FormatException Error(string what) =>
            new($"game configuration, line {Line.ToString(CultureInfo.InvariantCulture)}: {what}");
    }
}
