using System.Text;

namespace AkkaGame.Ops;

/// <summary>Splits an interactive line into words like a shell: spaces separate, quotes group.</summary>
public static class CommandLineWords
{
    public static List<string> Split(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var words = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else if (c == '\\' && q == '"' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                {
                    current.Append(line[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (quote is not null)
        {
            throw new ArgumentException("unterminated quote");
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }
}
