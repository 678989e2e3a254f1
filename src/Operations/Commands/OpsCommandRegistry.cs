namespace AkkaGame.Operations.Commands;

/// <summary>Finds the command a request names: the longest name path that starts its arguments.</summary>
public sealed class OpsCommandRegistry
{
    private readonly List<IOpsCommand> _commands;

    public OpsCommandRegistry(IEnumerable<IOpsCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands.OrderBy(c => string.Join(' ', c.Path), StringComparer.Ordinal).ToList();
        var duplicate = _commands.GroupBy(c => string.Join(' ', c.Path)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"two commands are named '{duplicate.Key}'");
        }
    }

    public IReadOnlyList<IOpsCommand> Commands => _commands;

    /// <summary>The commands whose names start with these words (all for none).</summary>
    public IReadOnlyList<IOpsCommand> Under(IReadOnlyList<string> prefix) =>
        _commands.Where(c => c.Path.Count >= prefix.Count && c.Path.Take(prefix.Count).SequenceEqual(prefix, StringComparer.Ordinal)).ToList();

    /// <summary>The command and the words after its name; a usage error when nothing matches.</summary>
    public (IOpsCommand Command, IReadOnlyList<string> Arguments) Resolve(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var match = _commands
            .Where(c => c.Path.Count <= args.Count && c.Path.SequenceEqual(args.Take(c.Path.Count), StringComparer.Ordinal))
            .MaxBy(c => c.Path.Count);
        if (match is not null)
        {
            return (match, args.Skip(match.Path.Count).ToList());
        }

        // The longest run of words that starts some command names a group: list what is in it.
        for (var n = args.Count; n > 0; n--)
        {
            var group = Under(args.Take(n).ToList());
            if (group.Count > 0)
            {
                var words = string.Join(' ', args.Take(n));
                var known = string.Join(", ", group.Select(OpsCommand.UsageOf));
                throw new OpsUsageException(n == args.Count
                    ? $"'{words}' needs a subcommand: {known}"
                    : $"unknown command '{string.Join(' ', args)}'; under '{words}' there are: {known}");
            }
        }

        throw new OpsUsageException($"unknown command '{string.Join(' ', args)}'; try 'help'");
    }
}
