using System.Security.Cryptography;
using Akkagame.V1;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol;

namespace AkkaGame.Game.Sessions;

/// <summary>
/// Who a Hello logs in, and how its client reads deltas: <paramref name="PredictsMotion"/> is
/// <c>Hello.predicts_motion</c> (PROTOCOL.md, Motion prediction).
/// </summary>
public sealed record LoginIdentity(string PlayerId, string Name, bool PredictsMotion = false);

/// <summary>The handshake of PROTOCOL.md Behaviour 1 and 2, in its order: resume_token, token, guest_name.</summary>
public static class LoginRules
{
    /// <summary>The identity, or null with the fatal error frame to answer and its code.</summary>
    public static LoginIdentity? Identify(uint seq, Hello hello, TokenService tokens, bool allowGuests, out byte[]? fatal, out ErrorCode fatalCode)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(tokens);
        fatal = null;
        fatalCode = ErrorCode.ErrorUnspecified;
        if (hello.ProtocolVersion != ProtocolVersion.Current)
        {
            (fatal, fatalCode) = Fatal(seq, ErrorCode.UnsupportedVersion, $"protocol version {hello.ProtocolVersion} is not supported; this server speaks {ProtocolVersion.Current}");
            return null;
        }

        if (hello.ResumeToken.Length > 0 && tokens.Verify(hello.ResumeToken, TokenService.ResumeKind) is { } resumed)
        {
            return new LoginIdentity(resumed.PlayerId, resumed.Name, hello.PredictsMotion);
        }

        if (hello.Token.Length > 0)
        {
            if (tokens.Verify(hello.Token, TokenService.PlayerKind) is { } claims)
            {
                return new LoginIdentity(claims.PlayerId, claims.Name, hello.PredictsMotion);
            }

            (fatal, fatalCode) = Fatal(seq, ErrorCode.AuthFailed, "the token is invalid or expired");
            return null;
        }

        if (hello.GuestName.Length > 0)
        {
            if (!allowGuests)
            {
                (fatal, fatalCode) = Fatal(seq, ErrorCode.NotAuthenticated, "this server does not allow guests; log in with a token");
                return null;
            }

            if (!NameRules.IsValid(hello.GuestName))
            {
                (fatal, fatalCode) = Fatal(seq, ErrorCode.InvalidInput, $"names are 1 to {NameRules.MaxLength} printable characters");
                return null;
            }

            return new LoginIdentity("guest-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), hello.GuestName, hello.PredictsMotion);
        }

        // Only a resume token, and it did not verify: the closest reading of PROTOCOL.md is a failed credential.
        (fatal, fatalCode) = hello.ResumeToken.Length > 0
            ? Fatal(seq, ErrorCode.AuthFailed, "the resume token is invalid or expired; log in again")
            : Fatal(seq, ErrorCode.NotAuthenticated, "Hello carries no token, resume token or guest name");
        return null;
    }

    private static (byte[] Frame, ErrorCode Code) Fatal(uint seq, ErrorCode code, string text) =>
        (Replies.Error(seq, code, text, fatal: true), code);
}
