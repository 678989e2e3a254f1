using Akka.Actor;
using Akka.Event;
using AkkaGame.Game.Sessions;
using AkkaGame.Node.Messages;
using Akkagame.V1;

namespace AkkaGame.Node.Sessions;

/// <summary>Playing: inputs go to the player's sector; its deltas and answers come back to the client.</summary>
public sealed partial class SessionActor
{
    /// <summary>
    /// How long a session waits for its sector to answer a join before asking again. A join sent
    /// toward a node that just died is lost; the next one finds the sector's new home.
    /// </summary>
    private static readonly TimeSpan RejoinRetry = TimeSpan.FromMilliseconds(500);

    private void PlayingBehaviour(Playing playing)
    {
        Open();
        Receive<SectorJoined>(joined => OnSectorJoined(playing, joined));
        Receive<DeliverFrame>(d => Write(d.Frame));
        Receive<InputRejected>(r => Write(Replies.Error(r.Seq, r.Error, r.Reason, fatal: false)));
        Receive<MineApproved>(approved => OnMineApproved(playing, approved));
        Receive<CreditsResult>(result => OnCreditsResult(playing, result));
        Receive<JumpApproved>(approved => OnJumpApproved(playing, approved));
        Receive<JumpResult>(result => OnJumpResult(playing, result));
        Receive<Terminated>(terminated => OnTerminated(playing, terminated));
        Receive<Rejoin>(_ =>
        {
            if (playing.Sector is null)
            {
                JoinSector(playing, playing.PendingArrival);
            }
        });
    }

    /// <summary>A validated game input: to the player's sector (Leave also ends the session with its Goodbye).</summary>
    private void Route(Playing playing, uint seq, ClientMessage message, byte[]? goodbye)
    {
        switch (message.BodyCase)
        {
            case ClientMessage.BodyOneofCase.MoveTo:
                // The hottest message: straight to the joined sector entity, skipping the region and
                // shard hops. If that sector is handing off, a move may be dropped; the client's next
                // MoveTo replaces it, and last_input_seq shows which one applied. Until the sector is
                // joined (or after it stopped) moves go through the region, which buffers them.
                (playing.Sector ?? _ctx.Sectors).Tell(new MoveShip(playing.SectorId, playing.PlayerId, seq, message.MoveTo.X, message.MoveTo.Y), Self);
                break;
            case ClientMessage.BodyOneofCase.Chat:
                _ctx.Sectors.Tell(new PostChat(playing.SectorId, playing.PlayerId, seq, message.Chat.Text), Self);
                break;
            case ClientMessage.BodyOneofCase.Mine:
                _ctx.Sectors.Tell(new MineAsteroid(playing.SectorId, playing.PlayerId, seq, message.Mine.AsteroidId), Self);
                break;
            case ClientMessage.BodyOneofCase.Jump:
                _ctx.Sectors.Tell(new JumpGate(playing.SectorId, playing.PlayerId, seq, message.Jump.GateId), Self);
                break;
            case ClientMessage.BodyOneofCase.Leave:
                playing.Left = true;
                _ctx.Sectors.Tell(new LeaveSector(playing.SectorId, playing.PlayerId));
                _ctx.Players.Tell(new DetachSession(playing.PlayerId, Self));
                CloseWith(goodbye!);
                break;
        }
    }

    private void JoinSector(Playing playing, (float X, float Y)? arrival)
    {
        if (_phase != playing)
        {
            return;
        }

        _ctx.Sectors.Tell(new JoinSector(playing.SectorId, playing.PlayerId, playing.Name, Self, arrival?.X, arrival?.Y), Self);

        // Until the sector answers (it may be starting on another node after a failure), ask
        // again; joining is idempotent, a ship already there is re-attached where it is.
        playing.PendingArrival = arrival;
        Timers.StartSingleTimer(nameof(Rejoin), Rejoin.Instance, RejoinRetry);
    }

    private void OnSectorJoined(Playing playing, SectorJoined joined)
    {
        if (joined.SectorId != playing.SectorId)
        {
            return;
        }

        if (playing.Sector is not null && !playing.Sector.Equals(Sender))
        {
            Context.Unwatch(playing.Sector);
        }

        playing.Sector = Sender;
        Context.Watch(Sender);
        Timers.Cancel(nameof(Rejoin));
        Write(joined.SnapshotFrame);
    }

    private void OnTerminated(Playing playing, Terminated terminated)
    {
        if (terminated.ActorRef.Equals(playing.Sector))
        {
            // The sector stopped (rebalance, crash, passivation): join again through the region,
            // which starts it from persistence wherever it lives now.
            playing.Sector = null;
            Timers.StartSingleTimer(nameof(Rejoin), Rejoin.Instance, TimeSpan.FromMilliseconds(100));
        }
    }

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

    private sealed class Rejoin
    {
        public static readonly Rejoin Instance = new();
    }
}
