using System.Text;

namespace AkkaGame.Ops;

/// <summary>
/// Reads a line from the terminal with history: up/down walk earlier lines, left/right, Home/End,
/// Backspace/Delete edit. Used only when stdin is a terminal.
/// </summary>
public sealed class LineEditor
{
    private const int MaxHistory = 500;
    private readonly List<string> _history = [];

    /// <summary>The line typed, or null at end of input (Ctrl+D on an empty line).</summary>
    public string? ReadLine(string prompt)
    {
        Console.Write(prompt);
        var line = new StringBuilder();
        var cursor = 0;
        var browsing = _history.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    var text = line.ToString();
                    Remember(text);
                    return text;
                case ConsoleKey.Backspace when cursor > 0:
                    line.Remove(--cursor, 1);
                    break;
                case ConsoleKey.Delete when cursor < line.Length:
                    line.Remove(cursor, 1);
                    break;
                case ConsoleKey.LeftArrow when cursor > 0:
                    cursor--;
                    break;
                case ConsoleKey.RightArrow when cursor < line.Length:
                    cursor++;
                    break;
                case ConsoleKey.Home:
                    cursor = 0;
                    break;
                case ConsoleKey.End:
                    cursor = line.Length;
                    break;
                case ConsoleKey.UpArrow when browsing > 0:
                    browsing--;
                    line.Clear().Append(_history[browsing]);
                    cursor = line.Length;
                    break;
                case ConsoleKey.DownArrow when browsing < _history.Count:
                    browsing++;
                    line.Clear().Append(browsing < _history.Count ? _history[browsing] : string.Empty);
                    cursor = line.Length;
                    break;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && line.Length == 0:
                    Console.WriteLine();
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        line.Insert(cursor++, key.KeyChar);
                    }

                    break;
            }

            Redraw(prompt, line, cursor);
        }
    }

    private void Remember(string text)
    {
        if (text.Trim().Length == 0 || (_history.Count > 0 && _history[^1] == text))
        {
            return;
        }

        _history.Add(text);
        if (_history.Count > MaxHistory)
        {
            _history.RemoveAt(0);
        }
    }

    /// <summary>
    /// Rewrites prompt and line with ANSI codes (carriage return, erase to end of line, cursor
    /// left) rather than Console.CursorLeft, which asks the terminal where the cursor is and
    /// reads the answer from the same input the keys come from.
    /// </summary>
    private static void Redraw(string prompt, StringBuilder line, int cursor)
    {
        Console.Write("\r" + prompt + line + "\u001b[K");
        var back = line.Length - cursor;
        if (back > 0)
        {
            Console.Write($"\u001b[{back}D");
        }
    }
}
