namespace AkkaGame.Operations.Protocol;

/// <summary>
/// Exit codes of the operator CLI, also carried in error replies so a script sees the same
/// number whichever side found the problem.
/// </summary>
public static class OpsExitCodes
{
    public const int Ok = 0;

    /// <summary>The node understood the command and it failed (unknown player, timeout, refused).</summary>
    public const int Failed = 1;

    /// <summary>Unknown command, missing or extra arguments, malformed request.</summary>
    public const int Usage = 2;

    /// <summary>The endpoint wants a secret and the request had none or a wrong one.</summary>
    public const int AuthenticationFailed = 3;

    /// <summary>Nothing listens at host:port, or the connection broke before the answer.</summary>
    public const int Unreachable = 4;
}
