using AkkaGame.Lighthouse;
using Xunit;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// The lighthouse binds where asked and advertises <c>CLUSTER_IP</c>, as the Lighthouse image
/// does: a container binds every interface, and the others must be told a name they can reach.
/// </summary>
public sealed class LighthouseAddressTests
{
    private static readonly Func<string> HostName = () => "lh-container";

    [Fact]
    public void Cluster_ip_is_advertised_while_every_interface_is_bound()
    {
        var options = LighthouseOptions.Parse([], name => name == "CLUSTER_IP" ? "lighthouse" : null);
        var config = options.ToConfig();

        Assert.Equal("0.0.0.0", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("lighthouse", config.GetString("akka.remote.dot-netty.tcp.public-hostname"));
        Assert.Equal("akka.tcp://akkagame@lighthouse:4053", options.SelfAddress);
    }

    [Fact]
    public void Nothing_given_stays_on_loopback()
    {
        var options = LighthouseOptions.Parse([], _ => null);
        var config = options.ToConfig();

        Assert.Equal("127.0.0.1", config.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("127.0.0.1", config.GetString("akka.remote.dot-netty.tcp.public-hostname"));
    }

    [Theory]
    [InlineData(null, null, "127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.2", null, "127.0.0.2", "127.0.0.2")]
    [InlineData("localhost", null, "localhost", "localhost")]
    [InlineData("10.1.2.3", null, "10.1.2.3", "0.0.0.0")]
    [InlineData("10.1.2.3", "10.1.2.3", "10.1.2.3", "10.1.2.3")]
    [InlineData("0.0.0.0", null, "lh-container", "0.0.0.0")]
    [InlineData(null, "0.0.0.0", "lh-container", "0.0.0.0")]
    [InlineData(null, "10.1.2.3", "10.1.2.3", "10.1.2.3")]
    public void Advertised_and_bound_addresses(string? host, string? bind, string advertised, string bound) =>
        Assert.Equal((advertised, bound), LighthouseOptions.Addresses(host, bind, HostName));

    [Fact]
    public void The_command_line_wins_over_the_environment()
    {
        var options = LighthouseOptions.Parse(["--akka-host", "127.0.0.3", "--akka-bind", "127.0.0.3"], name => name switch
        {
            "CLUSTER_IP" => "lighthouse",
            "AKKAGAME_AKKA_BIND" => "0.0.0.0",
            _ => null,
        });

        Assert.Equal(("127.0.0.3", "127.0.0.3"), (options.Host, options.BindHost));
    }
}
