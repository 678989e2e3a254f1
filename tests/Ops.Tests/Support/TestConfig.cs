using System.Net;
using System.Net.Sockets;
using Akka.Configuration;
using AkkaGame.Node.Hosting;

namespace AkkaGame.Ops.Tests.Support;

/// <summary>Node configuration for tests: real SQLite in a fresh directory, free ports (a minimal copy of Node.Tests' helper).</summary>
public static class TestConfig
{
    public const string Secret = "ops-test-auth-secret-0123456789";

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkagame-ops-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The node's configuration as the real process builds it from these options.</summary>
    public static Config Node(params string[] args)
    {
        var options = NodeOptions.Parse(
            ["--data-dir", NewDataDir(), "--game-port", "0", "--ops-port", "0", "--http-port", "0", "--ws-port", "0", "--auth-secret", Secret, .. args],
            _ => null);
        return NodeConfig.Build(options);
    }

    public static int FreePort() => AkkaGame.TestSupport.ManagedProcess.FreePort();
}
