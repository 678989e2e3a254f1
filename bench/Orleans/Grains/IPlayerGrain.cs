using Orleans;

namespace AkkaGame.Bench.Orleans.Grains;

/// <summary>A player (keyed by player id): name, sector, credits, and its one live connection.</summary>
[Alias("akkagame.bench.IPlayerGrain")]
public interface IPlayerGrain : IGrainWithStringKey
{
    /// <summary>Registers the player on first login and makes this connection its session; an older one is told it was replaced.</summary>
    [Alias("Attach")]
    Task<PlayerInfo> Attach(string name, string connectionId, ISessionObserver session);

    /// <summary>The connection is gone; a newer one stays.</summary>
    [Alias("Detach")]
    Task Detach(string connectionId);

    /// <summary>Applies a credit operation once per id, stores it, and returns the balance after it.</summary>
    [Alias("AddCredits")]
    Task<long> AddCredits(string operationId, long amount);

    /// <summary>Stores the player's sector after a jump.</summary>
    [Alias("Relocate")]
    Task Relocate(string sectorId);
}
