using Orleans;

namespace AkkaGame.Bench.Orleans.Grains;

/// <summary>What a player grain tells a login.</summary>
[GenerateSerializer]
[Alias("akkagame.bench.PlayerInfo")]
public sealed record PlayerInfo(
    [property: Id(0)] string PlayerId,
    [property: Id(1)] string Name,
    [property: Id(2)] string SectorId,
    [property: Id(3)] long Credits);

/// <summary>
/// A sector's answer to an input: nothing to send (null Frame), or the frame to send the client
/// (an error, or a chat line the sector could not deliver itself).
/// </summary>
[GenerateSerializer]
[Alias("akkagame.bench.InputAnswer")]
public sealed record InputAnswer([property: Id(0)] byte[]? Frame)
{
    public static InputAnswer Done { get; } = new((byte[]?)null);
}

/// <summary>A sector's answer to Mine: the ore taken, or the error frame.</summary>
[GenerateSerializer]
[Alias("akkagame.bench.MineAnswer")]
public sealed record MineAnswer([property: Id(0)] int Amount, [property: Id(1)] byte[]? Error);

/// <summary>A sector's answer to Jump: where the ship went and where it appears, or the error frame.</summary>
[GenerateSerializer]
[Alias("akkagame.bench.JumpAnswer")]
public sealed record JumpAnswer(
    [property: Id(0)] string ToSector,
    [property: Id(1)] float ArrivalX,
    [property: Id(2)] float ArrivalY,
    [property: Id(3)] byte[]? Error);
