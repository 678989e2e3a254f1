using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary>A command made of its name, usage, help and a handler.</summary>
public sealed class OpsCommand : IOpsCommand
{
    private readonly Func<OpsRequestContext, Task<OpsReply>> _run;

    public OpsCommand(string path, string arguments, string help, Func<OpsRequestContext, Task<OpsReply>> run, params string[] options)
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Arguments = arguments;
        Help = help;
        _run = run;
        Options = options.ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Path { get; }

    public string Arguments { get; }

    public string Help { get; }

    public IReadOnlySet<string> Options { get; }

    public static string UsageOf(IOpsCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var name = string.Join(' ', command.Path);
        return command.Arguments.Length == 0 ? name : name + " " + command.Arguments;
    }

    public Task<OpsReply> RunAsync(OpsRequestContext context) => _run(context);
}
