using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary>A command was called wrongly: answered with the message and exit code 2.</summary>
public sealed class OpsUsageException : Exception
{
    public OpsUsageException(string message)
        : base(message)
    {
    }

    public OpsUsageException()
    {
    }

    public OpsUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static int ExitCode => OpsExitCodes.Usage;
}
