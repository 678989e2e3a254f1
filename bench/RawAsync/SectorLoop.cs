using AkkaGame.Game.Sessions;
using System.Threading.Channels;
using AkkaGame.Bench.PeerCommon;

namespace AkkaGame.Bench.RawAsync;

/// <summary>
/// One sector on one single-threaded loop: a channel of commands consumed by one task, so the
/// sector's state needs no lock; a PeriodicTimer posts the ticks into the same channel, so ticks
/// and inputs are serialized. Replies go straight into the sessions' outbound queues.
/// </summary>
internal sealed class SectorLoop : IAsyncDisposable
{
    // Unbounded, like a mailbox: sector loops post to each other (jumps), and bounded channels
    // that wait on each other could deadlock. The per-client rate limit bounds what arrives.
    private readonly Channel<SectorCommand> _inbox = Channel.CreateUnbounded<SectorCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SectorRoom _room;
    private readonly RawWorld _world;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Task _ticker;

    public SectorLoop(string sectorId, RawWorld world)
    {
        _world = world;
        _room = new SectorRoom(sectorId, world.Settings.World);
        _loop = Task.Run(RunAsync);
        _ticker = Task.Run(TickAsync);
    }

    public string Id => _room.Id;

    public void Post(SectorCommand command) => _inbox.Writer.TryWrite(command);

    /// <summary>Stops ticking, lets the loop finish what is queued, and ends it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _inbox.Writer.TryComplete();
        await _ticker;
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var reader = _inbox.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var command))
            {
                try
                {
                    Handle(command);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // One bad command must not stop the sector for everyone in it.
                    _world.Faults.Report($"sector {Id}: {command.GetType().Name}", e);
                }
            }
        }
    }

    private async Task TickAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / _world.Settings.World.TickHz));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Post(TickCommand.Instance);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the loop drains what is queued and ends.
            return;
        }
    }

    private void Handle(SectorCommand command)
    {
        var now = Environment.TickCount64;
        switch (command)
        {
            case TickCommand:
                _room.Tick(now);
                break;
            case MoveCommand m:
                Reply(m.Session, _room.Move(m.Session.PlayerId, m.Seq, m.X, m.Y));
                break;
            case ChatCommand c:
                Reply(c.Session, _room.Chat(c.Session.PlayerId, c.Seq, c.Text));
                break;
            case MineCommand m:
                Mine(m, now);
                break;
            case JumpCommand j:
                Jump(j);
                break;
            case JoinCommand j:
                Join(j, now);
                break;
            case LeaveCommand l:
                _room.Leave(l.PlayerId);
                break;
            case DisconnectCommand d:
                _room.Disconnect(d.PlayerId, d.ConnectionId, now);
                break;
        }
    }

    private void Join(JoinCommand j, long now)
    {
        j.Session.Deliver(_room.Join(j.Session.PlayerId, j.Session.Name, j.Arrival, j.Session));
        if (j.Session.IsClosed)
        {
            // The connection ended while the join was on its way (a jump, a quick disconnect): its
            // disconnect may have gone to the sector it came from, so this sector applies it itself.
            _room.Disconnect(j.Session.PlayerId, j.Session.ConnectionId, now);
        }
    }

    private void Mine(MineCommand m, long now)
    {
        var outcome = _room.Mine(m.Session.PlayerId, m.AsteroidId, now);
        if (!outcome.Ok)
        {
            m.Session.Deliver(Replies.Rejected(m.Seq, outcome.Rejection, outcome.Reason));
            return;
        }

        // In memory: the balance is "stored" when this returns; nothing reaches a disk.
        var balance = _world.Players.AddCredits(m.Session.PlayerId, $"mine:{m.Session.ConnectionId}:{m.Seq}", outcome.Amount);
        m.Session.Deliver(Replies.Credits(m.Seq, balance, outcome.Amount, "mine"));
    }

    private void Jump(JumpCommand j)
    {
        var result = _room.Jump(j.Session.PlayerId, j.GateId);
        if (!result.Outcome.Ok)
        {
            j.Session.Deliver(Replies.Rejected(j.Seq, result.Outcome.Rejection, result.Outcome.Reason));
            return;
        }

        var to = result.Outcome.ToSector;
        _world.Players.Relocate(j.Session.PlayerId, to);
        j.Session.SectorId = to;
        j.Session.Deliver(Replies.Jumped(j.Seq, Id, to));
        _world.Sector(to).Post(new JoinCommand(j.Session, result.Arrival));
    }

    private static void Reply(RawSession session, byte[]? frame)
    {
        if (frame is not null)
        {
            session.Deliver(frame);
        }
    }
}
