using AkkaGame.Lighthouse;
using Xunit;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// A restarted lighthouse must ask the members it remembers before it forms a cluster alone
/// (the whole-cluster check is the chaos run's LighthouseKill round with lighthouse-only seeds).
/// </summary>
public sealed class LighthouseSeedsTests
{
    [Fact]
    public void A_lighthouse_that_is_its_own_seed_asks_the_remembered_members_too_itself_first()
    {
        var options = LighthouseOptions.Parse(["--akka-port", "4053"], _ => null);
        var config = options.ToConfig(["akka.tcp://akkagame@127.0.0.1:5001", "akka.tcp://akkagame@127.0.0.1:5002"]);

        // Itself first: Akka's first-seed process then joins a remembered member that answers
        // within seed-node-timeout, and forms a new cluster only when none does.
        Assert.Equal(
            ["akka.tcp://akkagame@127.0.0.1:4053", "akka.tcp://akkagame@127.0.0.1:5001", "akka.tcp://akkagame@127.0.0.1:5002"],
            config.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void The_remembered_members_file_never_names_the_lighthouse_itself()
    {
        var dir = Path.Combine(Path.GetTempPath(), "akkagame-chaos", "lighthouse-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllLines(Path.Combine(dir, KnownMembers.FileName), ["akka.tcp://akkagame@127.0.0.1:4053", "akka.tcp://akkagame@127.0.0.1:5001", ""]);

        Assert.Equal(["akka.tcp://akkagame@127.0.0.1:5001"], KnownMembers.Read(dir, "akka.tcp://akkagame@127.0.0.1:4053"));
        Assert.Empty(KnownMembers.Read(Path.Combine(dir, "missing"), "akka.tcp://akkagame@127.0.0.1:4053"));
    }
}
