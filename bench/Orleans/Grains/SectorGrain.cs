using AkkaGame.Game.Sessions;
using System.Numerics;
using AkkaGame.Bench.PeerCommon;
using AkkaGame.Game.Simulation;
using Orleans;
using Orleans.Runtime;

namespace AkkaGame.Bench.Orleans.Grains;

/// <summary>
/// A sector around the shared <see cref="SectorRoom"/>: Orleans runs one call (or timer tick) at a
/// time per activation, so the room needs no lock. A grain timer ticks it at tick-hz and the
/// deltas go to the sessions' observers. Chat is written to grain storage (in memory here)
/// before it is broadcast; ships and ore are not stored, as between the node's snapshots.
/// </summary>
public sealed class SectorGrain(
    [PersistentState("chat", OrleansPeerServer.Storage)] IPersistentState<SectorChatLog> chat,
    PeerSettings settings) : Grain, ISectorGrain
{
    private SectorRoom _room = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _room = new SectorRoom(this.GetPrimaryKeyString(), settings.World, settings.Session.MaxFrameBytes);
        foreach (var line in chat.State.Lines)
        {
            _room.State.ApplyChat(new ChatEntry(line.Id, line.FromPlayerId, line.FromName, line.Text, line.TimeUs));
        }

        var period = TimeSpan.FromSeconds(1.0 / settings.World.TickHz);

        // KeepAlive: a sector with ships must not be collected as idle while nobody calls it.
        this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(period, period) { KeepAlive = true });
        return base.OnActivateAsync(cancellationToken);
    }

    public Task Join(string playerId, string name, bool arriving, float arrivalX, float arrivalY, string connectionId, bool predictsMotion, ISessionObserver session)
    {
        var sink = new ObserverSink(connectionId, predictsMotion, session);
        _room.Join(playerId, name, arriving ? new Vector2(arrivalX, arrivalY) : null, sink);
        return Task.CompletedTask;
    }

    public Task<InputAnswer> Move(string playerId, uint seq, float x, float y) =>
        Task.FromResult(_room.Move(playerId, seq, x, y) is { } error ? new InputAnswer(error) : InputAnswer.Done);

    public async Task<InputAnswer> Chat(string playerId, uint seq, string text)
    {
        if (_room.PrepareChat(playerId, seq, text, out var error) is not { } entry)
        {
            return new InputAnswer(error);
        }

        var lines = chat.State.Lines;
        lines.Add(new ChatRecord(entry.Id, entry.FromPlayerId, entry.FromName, entry.Text, entry.TimeUs));
        if (lines.Count > settings.World.ChatHistory)
        {
            lines.RemoveRange(0, lines.Count - settings.World.ChatHistory);
        }

        // Not reentrant: no other call or tick runs until the line is stored, so ids stay sequential.
        await chat.WriteStateAsync();
        return new InputAnswer(_room.PublishChat(entry, seq));
    }

    public Task<MineAnswer> Mine(string playerId, uint seq, string asteroidId)
    {
        var outcome = _room.Mine(playerId, asteroidId, Environment.TickCount64);
        return Task.FromResult(outcome.Ok
            ? new MineAnswer(outcome.Amount, null)
            : new MineAnswer(0, Replies.Rejected(seq, outcome.Rejection, outcome.Reason)));
    }

    public Task<JumpAnswer> Jump(string playerId, uint seq, string gateId)
    {
        var result = _room.Jump(playerId, gateId);
        return Task.FromResult(result.Outcome.Ok
            ? new JumpAnswer(result.Outcome.ToSector, result.Arrival.X, result.Arrival.Y, null)
            : new JumpAnswer(string.Empty, 0, 0, Replies.Rejected(seq, result.Outcome.Rejection, result.Outcome.Reason)));
    }

    public Task Leave(string playerId)
    {
        _room.Leave(playerId);
        return Task.CompletedTask;
    }

    public Task Disconnect(string playerId, string connectionId)
    {
        _room.Disconnect(playerId, connectionId, Environment.TickCount64);
        return Task.CompletedTask;
    }

    private Task Tick()
    {
        _room.Tick(Environment.TickCount64);
        return Task.CompletedTask;
    }
}
