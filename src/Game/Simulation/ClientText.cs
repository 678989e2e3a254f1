using System.Text;

namespace AkkaGame.Game.Simulation;

/// <summary>
/// Client input quoted back in an error text: a short prefix of printable characters only, so an
/// answer never grows with what the client sent (a 64 KB asteroid id gets a short error).
/// </summary>
public static class ClientText
{
    /// <summary>How many characters of client input an error text repeats at most.</summary>
    public const int MaxQuoted = 32;

    public static string Quote(string? text)
    {
        var value = text ?? string.Empty;
        var quoted = new StringBuilder(Math.Min(value.Length, MaxQuoted) + 1);
        foreach (var c in value)
        {
            if (quoted.Length == MaxQuoted)
            {
                return quoted.Append('…').ToString();
            }

            quoted.Append(char.IsControl(c) || char.IsSurrogate(c) ? '?' : c);
        }

        return quoted.ToString();
    }
}
