using AkkaGame.Game.Sessions;
using System.Numerics;
using AkkaGame.Game.Simulation;
using AkkaGame.Game.Frames;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>The outcome of a jump: where the ship went and where it appears there.</summary>
public readonly record struct JumpResult(JumpOutcome Outcome, Vector2 Arrival);

/// <summary>
/// One sector as the node's SectorActor runs it, minus the actor: the core's <see cref="SectorState"/>
/// plus the connections of its players, with every frame encoded once (SectorFrames) and shared.
/// Single-owner: a host calls it from one thread at a time (its lock, its loop, its grain).
/// </summary>
public sealed class SectorRoom
{
    private readonly Dictionary<string, IFrameSink> _sinks = new(StringComparer.Ordinal);
    private readonly int _maxFrameBytes;

    /// <param name="maxFrameBytes">The protocol's frame limit: larger snapshots and deltas are split, as the node splits them (<see cref="SectorFrames.Deltas"/>).</param>
    public SectorRoom(string sectorId, WorldRules rules, int maxFrameBytes)
    {
        State = new SectorState(sectorId, rules);
        _maxFrameBytes = maxFrameBytes;
    }

    public SectorState State { get; }

    public string Id => State.Id;

    public int ConnectionCount => _sinks.Count;

    /// <summary>The ship enters (or re-attaches); the joining connection gets the snapshot.</summary>
    public void Join(string playerId, string name, Vector2? arrival, IFrameSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        State.Enter(playerId, name, arrival);
        _sinks[playerId] = sink;
        foreach (var frame in SectorFrames.Snapshots(State, null, _maxFrameBytes))
        {
            sink.Deliver(frame);
        }
    }

    /// <summary>MoveTo; the error frame to answer, or null when applied.</summary>
    public byte[]? Move(string playerId, uint seq, float x, float y)
    {
        var rejection = State.MoveTo(playerId, seq, x, y);
        return rejection == Rejection.None
            ? null
            : Replies.Rejected(seq, rejection, rejection == Rejection.UnknownTarget ? "no ship in this sector" : "coordinates must be finite numbers");
    }

    /// <summary>
    /// Checks a chat line and makes its entry (next id) without applying it, for hosts that store
    /// it before broadcasting; null with the error frame when refused.
    /// </summary>
    public ChatEntry? PrepareChat(string playerId, uint seq, string text, out byte[]? error)
    {
        var ship = State.FindShip(playerId);
        var trimmed = ChatRules.Validate(text, State.Rules.ChatMaxLength, out var reason);
        if (ship is null || trimmed is null)
        {
            error = Replies.Error(seq, Akkagame.V1.ErrorCode.InvalidInput, ship is null ? "no ship in this sector" : reason, fatal: false);
            return null;
        }

        error = null;
        return new ChatEntry(State.LastChatId + 1, playerId, ship.Name, trimmed, Replies.ServerTimeUs(TimeProvider.System));
    }

    /// <summary>
    /// Applies a (stored) chat line and sends it to everyone here: the sender's copy acks its seq.
    /// Returns the sender's frame when the sender has no connection here, for the caller to send.
    /// </summary>
    public byte[]? PublishChat(ChatEntry entry, uint seq)
    {
        ArgumentNullException.ThrowIfNull(entry);
        State.ApplyChat(entry);
        var toOthers = SectorFrames.Chat(entry, Id, ack: 0);
        var toSender = SectorFrames.Chat(entry, Id, seq);
        var senderHere = false;
        foreach (var (playerId, sink) in _sinks)
        {
            if (playerId == entry.FromPlayerId)
            {
                senderHere = true;
                sink.Deliver(toSender);
            }
            else
            {
                sink.Deliver(toOthers);
            }
        }

        return senderHere ? null : toSender;
    }

    /// <summary>Chat for hosts that keep it in memory only: prepare and publish at once.</summary>
    public byte[]? Chat(string playerId, uint seq, string text) =>
        PrepareChat(playerId, seq, text, out var error) is { } entry ? PublishChat(entry, seq) : error;

    public MineOutcome Mine(string playerId, string asteroidId, long nowMs) => State.Mine(playerId, asteroidId, nowMs);

    /// <summary>Jump: the ship and its connection leave this sector when it succeeds.</summary>
    public JumpResult Jump(string playerId, string gateId)
    {
        var outcome = State.Jump(playerId, gateId);
        if (!outcome.Ok)
        {
            return new JumpResult(outcome, default);
        }

        _sinks.Remove(playerId);
        var arrival = SectorLayout.For(outcome.ToSector, State.Rules).ArrivalFrom(Id, State.Rules);
        return new JumpResult(outcome, arrival);
    }

    /// <summary>Leave: the ship goes now.</summary>
    public void Leave(string playerId)
    {
        State.Remove(playerId);
        _sinks.Remove(playerId);
    }

    /// <summary>The connection is gone: the ship stays for the reconnect grace, unless a newer connection has it.</summary>
    public void Disconnect(string playerId, string connectionId, long nowMs)
    {
        if (_sinks.TryGetValue(playerId, out var sink) && sink.ConnectionId == connectionId)
        {
            _sinks.Remove(playerId);
            State.Disconnect(playerId, nowMs);
        }
    }

    /// <summary>Advances one tick; the delta, encoded once, goes to every connection here.</summary>
    public void Tick(long nowMs)
    {
        var result = State.Advance(nowMs);
        if (result.IsEmpty || _sinks.Count == 0)
        {
            return;
        }

        // As the node does: one delta for the clients that predict motion, one for the others, each encoded once.
        IReadOnlyList<byte[]>? everything = null;
        IReadOnlyList<byte[]>? predicted = null;
        foreach (var sink in _sinks.Values)
        {
            var frames = sink.PredictsMotion
                ? predicted ??= SectorFrames.Deltas(Id, result, _maxFrameBytes, predictsMotion: true)
                : everything ??= SectorFrames.Deltas(Id, result, _maxFrameBytes);
            foreach (var frame in frames)
            {
                sink.Deliver(frame);
            }
        }
    }
}
