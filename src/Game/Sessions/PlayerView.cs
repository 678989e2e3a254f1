namespace AkkaGame.Game.Sessions;

/// <summary>A logged-in player as its Welcome shows it.</summary>
public sealed record PlayerView(string PlayerId, string Name, string SectorId, long Credits);
