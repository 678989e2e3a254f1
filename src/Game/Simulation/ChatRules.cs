namespace AkkaGame.Game.Simulation;

/// <summary>PROTOCOL.md Behaviour 6: 1 to 200 characters after trimming, no control characters.</summary>
public static class ChatRules
{
    /// <summary>Returns the trimmed text, or null with a reason when the text is not allowed.</summary>
    public static string? Validate(string? text, int maxLength, out string reason)
    {
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            reason = "chat text is empty";
            return null;
        }

        if (trimmed.Length > maxLength)
        {
            reason = $"chat text is longer than {maxLength} characters";
            return null;
        }

        foreach (var c in trimmed)
        {
            if (char.IsControl(c))
            {
                reason = "chat text contains control characters";
                return null;
            }
        }

        reason = string.Empty;
        return trimmed;
    }
}

/// <summary>PROTOCOL.md Behaviour 2: names are 1 to 32 printable characters.</summary>
public static class NameRules
{
    public const int MaxLength = 32;

    public static bool IsValid(string? name) =>
        !string.IsNullOrWhiteSpace(name)
        && name.Length <= MaxLength
        && !name.Any(char.IsControl);
}
