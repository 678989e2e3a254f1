using Akka.Configuration;
using AkkaGame.Node.Hosting;

namespace AkkaGame.Node.Tests.Support;

/// <summary>Node configuration for tests: real SQLite in a fresh temporary directory, fast timers.</summary>
public static class TestConfig
{
    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkagame-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The node's full configuration as the real process builds it, with overrides layered on top.</summary>
    public static Akka.Configuration.Config Node(string dataDir, string? hocon = null, params string[] args)
    {
        var options = NodeOptions.Parse(
            ["--data-dir", dataDir, "--game-port", "0", "--ops-port", "0", "--http-port", "0", "--ws-port", "0", "--auth-secret", Secret, .. args],
            _ => null);
        var config = NodeConfig.Build(options);
        return hocon is null ? config : ConfigurationFactory.ParseString(hocon).WithFallback(config);
    }

    public const string Secret = "integration-test-secret-0123456789";
}
