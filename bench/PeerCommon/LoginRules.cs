using System.Security.Cryptography;
using Akkagame.V1;
using AkkaGame.Node.Auth;
using AkkaGame.Node.Simulation;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>Who a Hello logs in.</summary>
public sealed record LoginIdentity(string PlayerId, string Name);

/// <summary>The handshake of PROTOCOL.md Behaviour 1 and 2, in the node's order: resume_token, token, guest_name.</summary>
public static class LoginRules
{
    public const uint ProtocolVersion = 1;

    /// <summary>The identity, or null with the fatal error frame to answer.</summary>
    public static LoginIdentity? Identify(uint seq, Hello hello, TokenService tokens, bool allowGuests, out byte[]? fatal)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(tokens);
        fatal = null;
        if (hello.ProtocolVersion != ProtocolVersion)
        {
            fatal = Replies.Error(seq, ErrorCode.UnsupportedVersion, $"protocol version {hello.ProtocolVersion} is not supported; this server speaks {ProtocolVersion}", fatal: true);
            return null;
        }

        if (hello.ResumeToken.Length > 0 && tokens.Verify(hello.ResumeToken, TokenService.ResumeKind) is { } resumed)
        {
            return new LoginIdentity(resumed.PlayerId, resumed.Name);
        }

        if (hello.Token.Length > 0)
        {
            if (tokens.Verify(hello.Token, TokenService.PlayerKind) is { } claims)
            {
                return new LoginIdentity(claims.PlayerId, claims.Name);
            }

            fatal = Replies.Error(seq, ErrorCode.AuthFailed, "the token is invalid or expired", fatal: true);
            return null;
        }

        if (hello.GuestName.Length > 0)
        {
            if (!allowGuests)
            {
                fatal = Replies.Error(seq, ErrorCode.NotAuthenticated, "this server does not allow guests; log in with a token", fatal: true);
                return null;
            }

            if (!NameRules.IsValid(hello.GuestName))
            {
                fatal = Replies.Error(seq, ErrorCode.InvalidInput, $"names are 1 to {NameRules.MaxLength} printable characters", fatal: true);
                return null;
            }

            return new LoginIdentity("guest-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), hello.GuestName);
        }

        fatal = hello.ResumeToken.Length > 0
            ? Replies.Error(seq, ErrorCode.AuthFailed, "the resume token is invalid or expired; log in again", fatal: true)
            : Replies.Error(seq, ErrorCode.NotAuthenticated, "Hello carries no token, resume token or guest name", fatal: true);
        return null;
    }
}
