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
        _room = new SectorRoom(sectorId, world.Settings.World, world.Settings.Session.MaxFrameBytes);
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
                    await HandleAsync(command);
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

    private async ValueTask HandleAsync(SectorCommand command)
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
                await ChatAsync(c);
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
        _room.Join(j.Session.PlayerId, j.Session.Name, j.Arrival, j.Session);
        if (j.Session.IsClosed)
        {
            // The connection ended while the join was on its way (a jump, a quick disconnect): its
            // disconnect may have gone to the sector it came from, so this sector applies it itself.
            _room.Disconnect(j.Session.PlayerId, j.Session.ConnectionId, now);
        }
    }

    /// <summary>
    /// In memory: published at once. Stored: journaled first, as the node's sector does (the loop
    /// waits, as a persisting actor stashes), then broadcast.
    /// </summary>
    private async ValueTask ChatAsync(ChatCommand c)
    {
        if (_world.Store is null)
        {
            Reply(c.Session, _room.Chat(c.Session.PlayerId, c.Seq, c.Text));
            return;
        }

        if (_room.PrepareChat(c.Session.PlayerId, c.Seq, c.Text, out var error) is not { } entry)
        {
            Reply(c.Session, error);
            return;
        }

        await _world.Store.WriteAsync("sector-" + Id, "chat", $"{entry.Id}|{entry.FromPlayerId}|{entry.Text}");
        Reply(c.Session, _room.PublishChat(entry, c.Seq));
    }

    private void Mine(MineCommand m, long now)
    {
        var outcome = _room.Mine(m.Session.PlayerId, m.AsteroidId, now);
        if (!outcome.Ok)
        {
            m.Session.Deliver(Replies.Rejected(m.Seq, outcome.Rejection, outcome.Reason));
            return;
        }

        // Credited (and stored, with a store) off the loop: the sector goes on while the write
        // commits, as the node's sector does while the player entity stores the credit.
        _ = CreditAsync(m, outcome.Amount);
    }

    private async Task CreditAsync(MineCommand m, int amount)
    {
        try
        {
            var balance = await _world.Players.AddCreditsAsync(m.Session.PlayerId, $"mine:{m.Session.ConnectionId}:{m.Seq}", amount);
            m.Session.Deliver(Replies.Credits(m.Seq, balance, amount, "mine"));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _world.Faults.Report("sector " + Id, e);
            m.Session.Deliver(Replies.Error(m.Seq, Akkagame.V1.ErrorCode.Internal, "credits could not be stored; try again", fatal: false));
        }
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
        j.Session.SectorId = to;
        _ = RelocateAsync(j, to, result.Arrival);
    }

    /// <summary>The jump is stored (with a store) before Jumped, as the node's player entity stores it.</summary>
    private async Task RelocateAsync(JumpCommand j, string to, System.Numerics.Vector2 arrival)
    {
        try
        {
            await _world.Players.RelocateAsync(j.Session.PlayerId, to);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _world.Faults.Report("sector " + Id, e);
            j.Session.Fatal(Replies.Error(j.Seq, Akkagame.V1.ErrorCode.Internal, "the jump could not be stored; reconnect to continue", fatal: true));
            return;
        }

        j.Session.Deliver(Replies.Jumped(j.Seq, Id, to));
        _world.Sector(to).Post(new JoinCommand(j.Session, arrival));
    }

    private static void Reply(RawSession session, byte[]? frame)
    {
        if (frame is not null)
        {
            session.Deliver(frame);
        }
    }
}
