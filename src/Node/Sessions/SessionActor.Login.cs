using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Akkagame.V1;
using AkkaGame.Node.Auth;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Simulation;

namespace AkkaGame.Node.Sessions;

/// <summary>The handshake: the three login forms of PROTOCOL.md Behaviour 2, in their order.</summary>
public sealed partial class SessionActor
{
    public const uint ProtocolVersion = 1;

    private void Login(uint seq, Hello hello)
    {
        if (hello.ProtocolVersion != ProtocolVersion)
        {
            Fatal(seq, ErrorCode.UnsupportedVersion, $"protocol version {hello.ProtocolVersion} is not supported; this server speaks {ProtocolVersion}");
            return;
        }

        var identity = Identify(seq, hello);
        if (identity is null)
        {
            return;
        }

        _phase = Phase.LoggingIn;
        var (playerId, name) = identity.Value;
        var gateway = _ctx.Settings.Gateway;

        // As many attempts as fit in the login budget: past it, the client hears SERVER_BUSY.
        var attempts = Math.Max(1, (int)Math.Floor(gateway.LoginTimeout / gateway.EntityAskTimeout));
        EntityAsk.WithRetries<PlayerAttached>(_ctx.Players, new AttachSession(playerId, name, Self), attempts, gateway.EntityAskTimeout)
            .PipeTo(Self, success: a => new LoginResult(seq, a, null), failure: e => new LoginResult(seq, null, e));
    }

    /// <summary>resume_token first, then token, then guest_name; null after answering with a fatal error.</summary>
    private (string PlayerId, string Name)? Identify(uint seq, Hello hello)
    {
        if (hello.ResumeToken.Length > 0 && _ctx.Tokens.Verify(hello.ResumeToken, TokenService.ResumeKind) is { } resumed)
        {
            return (resumed.PlayerId, resumed.Name);
        }

        if (hello.Token.Length > 0)
        {
            if (_ctx.Tokens.Verify(hello.Token, TokenService.PlayerKind) is { } claims)
            {
                return (claims.PlayerId, claims.Name);
            }

            Fatal(seq, ErrorCode.AuthFailed, "the token is invalid or expired");
            return null;
        }

        if (hello.GuestName.Length > 0)
        {
            if (!_ctx.Settings.Auth.AllowGuests)
            {
                Fatal(seq, ErrorCode.NotAuthenticated, "this server does not allow guests; log in with a token");
                return null;
            }

            if (!NameRules.IsValid(hello.GuestName))
            {
                Fatal(seq, ErrorCode.InvalidInput, $"names are 1 to {NameRules.MaxLength} printable characters");
                return null;
            }

            return ("guest-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant(), hello.GuestName);
        }

        if (hello.ResumeToken.Length > 0)
        {
            // Only a resume token, and it did not verify: the closest reading of PROTOCOL.md is a failed credential.
            Fatal(seq, ErrorCode.AuthFailed, "the resume token is invalid or expired; log in again");
            return null;
        }

        Fatal(seq, ErrorCode.NotAuthenticated, "Hello carries no token, resume token or guest name");
        return null;
    }

    private void OnLoginResult(LoginResult result)
    {
        if (_phase != Phase.LoggingIn)
        {
            return;
        }

        if (result.Attached is not { } attached)
        {
            if (result.Failure is AskTimeoutException)
            {
                // Overloaded, or the player's node just died: say so, with a hint, instead of INTERNAL.
                _log.Info("Connection {0}: login not served within {1}; SERVER_BUSY", _connectionId, _ctx.Settings.Gateway.LoginTimeout);
                Fatal(result.Seq, ErrorCode.ServerBusy, $"this node could not log you in within {_ctx.Settings.Gateway.LoginTimeout.TotalSeconds:0.#} s; retry shortly, backing off with jitter, or try another node");
                return;
            }

            _log.Error(result.Failure, "Connection {0}: login failed", _connectionId);
            Fatal(result.Seq, ErrorCode.Internal, "the player could not be loaded; try again");
            return;
        }

        _phase = Phase.Playing;
        _playerId = attached.PlayerId;
        _name = attached.Name;
        _sectorId = attached.SectorId;
        Send(result.Seq, new ServerMessage
        {
            Welcome = new Welcome
            {
                PlayerId = attached.PlayerId,
                Name = attached.Name,
                ResumeToken = _ctx.Tokens.MintResumeToken(attached.PlayerId, attached.Name, _ctx.Settings.Auth.ResumeTokenTtl),
                SectorId = attached.SectorId,
                TickHz = (uint)_ctx.Settings.World.TickHz,
                ServerTimeUs = ServerTimeUs(),
                Node = _ctx.NodeName,
                Credits = attached.Credits,
            },
        });
        JoinSector(null);
        ProcessPending();
    }

    private sealed record LoginResult(uint Seq, PlayerAttached? Attached, Exception? Failure);
}
