using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary>A command of the operator endpoint, found by its name path, e.g. ["cluster","sharding","regions"].</summary>
public interface IOpsCommand
{
    IReadOnlyList<string> Path { get; }

    /// <summary>What follows the name in the usage line, e.g. "ADDRESS" or "[N]".</summary>
    string Arguments { get; }

    /// <summary>One line for <c>help</c>.</summary>
    string Help { get; }

    /// <summary>Names of the <c>--options</c> it takes, each with a value.</summary>
    IReadOnlySet<string> Options { get; }

    Task<OpsReply> RunAsync(OpsRequestContext context);
}
