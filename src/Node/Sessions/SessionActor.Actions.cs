using Akka.Actor;
using Akka.Event;
using AkkaGame.Game.Sessions;
using AkkaGame.Node.Messages;
using Akkagame.V1;

namespace AkkaGame.Node.Sessions;

/// <summary>
/// The durable actions of a playing session, each two steps: the sector approves (in range, off
/// cooldown, gate near), then the player entity stores the result, and only then does the
/// client get its answer (Credits after a mine, Jumped after a jump).
/// </summary>
public sealed partial class SessionActor
{
    private void OnMineApproved(Playing playing, MineApproved approved)
    {
        // The operation id is stable across retries of this mine, so the player credits it once.
        var operation = $"mine:{_connectionId}:{approved.Seq}";
        var request = new AddCredits(playing.PlayerId, operation, approved.Amount, "mine");
        var gateway = _ctx.Settings.Gateway;
        EntityAsk.WithRetries<CreditsChanged>(_ctx.Players, request, gateway.EntityAskAttempts, gateway.EntityAskTimeout)
            .PipeTo(Self, success: c => new CreditsResult(approved.Seq, c, null), failure: e => new CreditsResult(approved.Seq, null, e));
    }

    private void OnCreditsResult(Playing playing, CreditsResult result)
    {
        if (result.Credits is { } c)
        {
            Write(Replies.Credits(result.Seq, c.Balance, c.Delta, c.Reason));
        }
        else
        {
            _log.Error(result.Failure, "Player {0}: crediting mine {1} failed", playing.PlayerId, result.Seq);
            Write(Replies.Error(result.Seq, ErrorCode.Internal, "credits could not be stored; try again", fatal: false));
        }
    }

    private void OnJumpApproved(Playing playing, JumpApproved approved)
    {
        // The ship has left the old sector: the session follows it to the new one.
        if (playing.Sector is not null)
        {
            Context.Unwatch(playing.Sector);
            playing.Sector = null;
        }

        var from = playing.SectorId;
        playing.SectorId = approved.ToSector;
        var gateway = _ctx.Settings.Gateway;
        EntityAsk.WithRetries<PlayerRelocated>(_ctx.Players, new RelocatePlayer(playing.PlayerId, approved.ToSector), gateway.EntityAskAttempts, gateway.EntityAskTimeout)
            .PipeTo(Self, success: _ => new JumpResult(approved, from, null), failure: e => new JumpResult(approved, from, e));
    }

    private void OnJumpResult(Playing playing, JumpResult result)
    {
        if (result.Failure is not null)
        {
            _log.Error(result.Failure, "Player {0}: storing jump to {1} failed", playing.PlayerId, result.Approved.ToSector);
            Fatal(result.Approved.Seq, ErrorCode.Internal, "the jump could not be stored; reconnect to continue");
            return;
        }

        Write(Replies.Jumped(result.Approved.Seq, result.From, result.Approved.ToSector));
        JoinSector(playing, (result.Approved.X, result.Approved.Y));
    }

    private sealed record CreditsResult(uint Seq, CreditsChanged? Credits, Exception? Failure);

    private sealed record JumpResult(JumpApproved Approved, string From, Exception? Failure);
}
