using Akka.Configuration;
using AkkaGame.Game.Configuration;

namespace AkkaGame.Node.Hosting;

/// <summary>
/// The node's layered configuration (options over --config over game.conf) as the core's
/// <see cref="ISettingSource"/>: Akka resolves the layers, the core reads the values, so the
/// node and every peer read the same keys the same way.
/// </summary>
public sealed class HoconSettingSource(Config config) : ISettingSource
{
    public string? GetText(string path) => config.HasPath(path) ? config.GetString(path) : null;
}
