using Orleans;

namespace AkkaGame.Bench.Orleans.Grains;

/// <summary>A player as the grain storage keeps it (in memory in this peer).</summary>
[GenerateSerializer]
[Alias("akkagame.bench.PlayerRecord")]
public sealed class PlayerRecord
{
    [Id(0)]
    public string? Name { get; set; }

    [Id(1)]
    public string? SectorId { get; set; }

    [Id(2)]
    public long Credits { get; set; }

    /// <summary>Recent credit operations, oldest first, so a repeated one is answered, not applied.</summary>
    [Id(3)]
    public List<CreditOperation> Operations { get; set; } = [];
}

[GenerateSerializer]
[Alias("akkagame.bench.CreditOperation")]
public sealed record CreditOperation([property: Id(0)] string Id, [property: Id(1)] long BalanceAfter);

/// <summary>A sector's chat history as the grain storage keeps it: the lines a snapshot shows.</summary>
[GenerateSerializer]
[Alias("akkagame.bench.SectorChatLog")]
public sealed class SectorChatLog
{
    [Id(0)]
    public List<ChatRecord> Lines { get; set; } = [];
}

[GenerateSerializer]
[Alias("akkagame.bench.ChatRecord")]
public sealed record ChatRecord(
    [property: Id(0)] ulong Id,
    [property: Id(1)] string FromPlayerId,
    [property: Id(2)] string FromName,
    [property: Id(3)] string Text,
    [property: Id(4)] long TimeUs);
