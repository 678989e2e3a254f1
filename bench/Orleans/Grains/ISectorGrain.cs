using Orleans;

namespace AkkaGame.Bench.Orleans.Grains;

/// <summary>A sector (keyed by sector id, "s-X-Y"): the simulation, ticked by a grain timer.</summary>
[Alias("akkagame.bench.ISectorGrain")]
public interface ISectorGrain : IGrainWithStringKey
{
    /// <summary>The ship enters (or re-attaches); the snapshot goes to the session through the observer.</summary>
    [Alias("Join")]
    Task Join(string playerId, string name, bool arriving, float arrivalX, float arrivalY, string connectionId, bool predictsMotion, ISessionObserver session);

    [Alias("Move")]
    Task<InputAnswer> Move(string playerId, uint seq, float x, float y);

    /// <summary>Stores the line, then sends it to everyone in the sector.</summary>
    [Alias("Chat")]
    Task<InputAnswer> Chat(string playerId, uint seq, string text);

    [Alias("Mine")]
    Task<MineAnswer> Mine(string playerId, uint seq, string asteroidId);

    [Alias("Jump")]
    Task<JumpAnswer> Jump(string playerId, uint seq, string gateId);

    [Alias("Leave")]
    Task Leave(string playerId);

    /// <summary>The connection is gone: the ship waits for the reconnect grace.</summary>
    [Alias("Disconnect")]
    Task Disconnect(string playerId, string connectionId);
}
