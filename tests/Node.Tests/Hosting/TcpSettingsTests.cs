using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Hosting;

/// <summary>
/// The game connections' TCP layer sends a crowd's deltas in few socket sends: Akka.IO writes at
/// most maximum-frame-size per send, and its 4k default made every 25 KB delta six sends
/// (docs/crowds.md). The settings must also pass Akka's own checks, or no connection opens.
/// </summary>
public sealed class TcpSettingsTests
{
    [Fact]
    public void The_node_sends_up_to_16_KiB_per_socket_send_with_settings_Akka_accepts()
    {
        var config = TestConfig.Node(TestConfig.NewDataDir());

        var tcp = Akka.IO.TcpSettings.Create(config.GetConfig("akka.io.tcp"));

        Assert.Equal(16 * 1024, tcp.MaxFrameSizeBytes);
    }
}
