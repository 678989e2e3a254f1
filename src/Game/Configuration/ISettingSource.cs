namespace AkkaGame.Game.Configuration;

/// <summary>
/// Where the game's settings come from, as text by HOCON path (<c>akkagame.world.tick-hz</c>):
/// the node passes its layered Akka configuration, the peers and tools the core's own
/// <see cref="GameConf"/>. Which key means what, and how its text is read, lives once, in
/// <see cref="GameSettings.Read"/>.
/// </summary>
public interface ISettingSource
{
    /// <summary>The value at <paramref name="path"/> as written (quotes removed), or null when absent.</summary>
    string? GetText(string path);
}
