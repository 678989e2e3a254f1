using System.CommandLine;

namespace AkkaGame.CommandLine;

/// <summary>
/// How every AkkaGame program runs its command line: System.CommandLine parses it (with --help
/// built in); a parse error prints "error: ..." and a pointer to --help on stderr and exits 2,
/// as the programs always did, so scripts can tell bad arguments from failures.
/// </summary>
public static class CommandRunner
{
    public const int BadArguments = 2;

    /// <summary>
    /// How actions run. No termination handling of System.CommandLine's own: by default it
    /// catches SIGTERM and SIGINT, cancels the action and, two seconds later, ends the process
    /// (and aborted it when a signal came after the action ended). The node and the lighthouse
    /// answer SIGTERM with Akka's coordinated shutdown, a drain that may take longer, and the
    /// peers with their own graceful stop. Exceptions reach <see cref="RunAsync"/>'s handler.
    /// </summary>
    public static InvocationConfiguration Invocation => new() { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };

    /// <summary>Parses without running; a bad line throws <see cref="ArgumentException"/> (for tests and embedding).</summary>
    public static ParseResult ParseOrThrow(Command command, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parsed = command.Parse(args);
        return parsed.Errors.Count == 0
            ? parsed
            : throw new ArgumentException(string.Join("; ", parsed.Errors.Select(e => e.Message)));
    }

    public static async Task<int> RunAsync(RootCommand root, IReadOnlyList<string> args, TextWriter? errors = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(args);
        errors ??= Console.Error;
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync("error: " + error.Message);
            }

            await errors.WriteLineAsync($"see {root.Name} --help");
            return BadArguments;
        }

        try
        {
            return await parsed.InvokeAsync(Invocation);
        }
        catch (ArgumentException e)
        {
            // A value that parsed but does not fit (checked where it is used).
            await errors.WriteLineAsync("error: " + e.Message);
            return BadArguments;
        }
    }
}
