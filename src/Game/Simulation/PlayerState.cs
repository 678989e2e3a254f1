namespace AkkaGame.Game.Simulation;

/// <summary>
/// A player's durable state: name, credits and sector, plus the ids of recent credit
/// operations so a retried operation is answered, not applied twice. Pure and single-owner.
/// </summary>
public sealed class PlayerState
{
    private readonly Dictionary<string, long> _balanceAfterOperation = new(StringComparer.Ordinal);
    private readonly Queue<string> _operationOrder = new();

    public PlayerState(string playerId, int rememberedOperations)
    {
        PlayerId = playerId;
        RememberedOperations = Math.Max(1, rememberedOperations);
    }

    public string PlayerId { get; }
    public int RememberedOperations { get; }
    public string? Name { get; private set; }
    public string? SectorId { get; private set; }
    public long Credits { get; private set; }
    public bool IsRegistered => SectorId is not null;
    public IEnumerable<KeyValuePair<string, long>> RecentOperations => _operationOrder.Select(id => KeyValuePair.Create(id, _balanceAfterOperation[id]));

    /// <summary>The balance a credit operation produced, if it was already applied.</summary>
    public bool TryGetApplied(string operationId, out long balanceAfter) =>
        _balanceAfterOperation.TryGetValue(operationId, out balanceAfter);

    public void Register(string name, string sectorId)
    {
        Name = name;
        SectorId = sectorId;
    }

    public void Rename(string name) => Name = name;

    public void MoveTo(string sectorId) => SectorId = sectorId;

    /// <summary>Applies a credit operation; a repeated id changes nothing.</summary>
    public long ApplyCredits(string operationId, long amount)
    {
        if (_balanceAfterOperation.TryGetValue(operationId, out var already))
        {
            return already;
        }

        Credits += amount;
        Remember(operationId, Credits);
        return Credits;
    }

    /// <summary>Restores state from a snapshot.</summary>
    public void Restore(string? name, string? sectorId, long credits, IEnumerable<KeyValuePair<string, long>> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        Name = name;
        SectorId = sectorId;
        Credits = credits;
        _balanceAfterOperation.Clear();
        _operationOrder.Clear();
        foreach (var (id, balance) in operations)
        {
            Remember(id, balance);
        }
    }

    private void Remember(string operationId, long balanceAfter)
    {
        _balanceAfterOperation[operationId] = balanceAfter;
        _operationOrder.Enqueue(operationId);
        while (_operationOrder.Count > RememberedOperations)
        {
            _balanceAfterOperation.Remove(_operationOrder.Dequeue());
        }
    }
}
