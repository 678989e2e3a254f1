using Akka.Actor;
using Akka.Event;
using AkkaGame.Game.Sessions;
using AkkaGame.Node.Messages;
using Akkagame.V1;

namespace AkkaGame.Node.Sessions;

/// <summary>Logging in: the player entity behind a Hello the core accepted.</summary>
public sealed partial class SessionActor
{
    /// <summary>
    /// The core's <see cref="LoginRules"/> (through the gate) said who this is; loading the player
    /// entity is the node's part: attach this session to it, within the login budget. Frames that
    /// arrive meanwhile wait, unacknowledged, and are served in order once the player is loaded.
    /// </summary>
    private void Login(uint seq, LoginIdentity identity)
    {
        _phase = new LoggingIn();
        Become(() =>
        {
            Open();
            Receive<LoginResult>(OnLoginResult);
        });

        var gateway = _ctx.Settings.Gateway;

        // The login budget counts from the connection's start, not from the Hello: on a node
        // past its capacity the wait before the Hello is even read is part of what the client
        // sits through. As many attempts as fit in what is left; past it, SERVER_BUSY.
        var left = gateway.LoginTimeout - TimeSpan.FromMilliseconds(NowMs - _openedMs);
        if (left <= TimeSpan.Zero)
        {
            _ctx.Metrics.LoginBusy();
            ServerBusy(seq);
            return;
        }

        var perAttempt = left < gateway.EntityAskTimeout ? left : gateway.EntityAskTimeout;
        var attempts = Math.Max(1, (int)Math.Floor(left / perAttempt));
        EntityAsk.WithRetries<PlayerAttached>(_ctx.Players, new AttachSession(identity.PlayerId, identity.Name, Self), attempts, perAttempt)
            .PipeTo(Self, success: a => new LoginResult(seq, a, null, identity.PredictsMotion), failure: e => new LoginResult(seq, null, e, identity.PredictsMotion));
    }

    private void OnLoginResult(LoginResult result)
    {
        if (result.Attached is not { } attached)
        {
            if (result.Failure is AskTimeoutException)
            {
                _ctx.Metrics.LoginBusy();
                ServerBusy(result.Seq);
                return;
            }

            _ctx.Metrics.LoginFailed();
            _log.Error(result.Failure, "Connection {0}: login failed", _connectionId);
            Fatal(result.Seq, ErrorCode.Internal, "the player could not be loaded; try again");
            return;
        }

        _ctx.Metrics.LoggedIn();
        var playing = new Playing(attached.PlayerId, attached.Name, attached.SectorId, result.PredictsMotion);
        _phase = playing;
        Become(() => PlayingBehaviour(playing));
        var resumeToken = _ctx.Tokens.MintResumeToken(attached.PlayerId, attached.Name, _ctx.Settings.Auth.ResumeTokenTtl);
        Write(Replies.Welcome(result.Seq, attached.PlayerId, attached.Name, attached.SectorId, attached.Credits, resumeToken, _ctx.Settings.World.TickHz, _ctx.NodeName, Replies.ServerTimeUs(TimeProvider.System)));
        JoinSector(playing, null);
        ProcessPending();
    }

    /// <summary>Overloaded, or the player's node just died: say so, with a hint, instead of INTERNAL.</summary>
    private void ServerBusy(uint seq)
    {
        _log.Info("Connection {0}: login not served within {1}; SERVER_BUSY", _connectionId, _ctx.Settings.Gateway.LoginTimeout);
        Fatal(seq, ErrorCode.ServerBusy, $"this node could not log you in within {_ctx.Settings.Gateway.LoginTimeout.TotalSeconds:0.#} s; retry shortly, backing off with jitter, or try another node");
    }

    private sealed record LoginResult(uint Seq, PlayerAttached? Attached, Exception? Failure, bool PredictsMotion);
}
