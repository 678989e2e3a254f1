namespace AkkaGame.Operations.Commands;

/// <summary>A command could not do what was asked (no such member, player, region): exit code 1 with the message.</summary>
public sealed class OpsCommandException : Exception
{
    public OpsCommandException(string message)
        : base(message)
    {
    }

    public OpsCommandException()
    {
    }

    public OpsCommandException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
