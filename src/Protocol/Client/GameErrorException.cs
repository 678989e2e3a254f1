using Akkagame.V1;

namespace AkkaGame.Protocol.Client;

/// <summary>
/// The server refused the handshake with an <see cref="Akkagame.V1.Error"/> (bad token, unsupported
/// version, server busy...). Carries the error so callers can branch on its code.
/// </summary>
public sealed class GameErrorException : Exception
{
    /// <summary>Wraps the server's error; the message names its code and text.</summary>
    public GameErrorException(Error error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>For serializers and conventions; carries an unspecified error.</summary>
    public GameErrorException()
        : this(new Error())
    {
    }

    /// <summary>For conventions; carries an unspecified error with this text.</summary>
    public GameErrorException(string message)
        : this(new Error { Message = message ?? string.Empty })
    {
    }

    /// <summary>For conventions; carries an unspecified error with this text.</summary>
    public GameErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new Error { Message = message ?? string.Empty };
    }

    /// <summary>The error frame the server sent.</summary>
    public Error Error { get; }

    private static string Describe(Error? error) =>
        error is null ? "server error" : $"server error {error.Code}: {error.Message}";
}
