using System.Net.Sockets;
using System.Text;
using AkkaGame.Node.Hosting;
using AkkaGame.Operations.Protocol;
using AkkaGame.Ops.Tests.Support;
using Xunit;

namespace AkkaGame.Ops.Tests;

/// <summary>Malformed requests get errors and the node keeps serving.</summary>
[Collection(TwoNodesCollection.Name)]
public class EndpointSafetyTests(TwoNodes nodes)
{
    private async Task<OpsClient> ConnectAsync() =>
        await OpsClient.ConnectAsync(new HostPort("127.0.0.1", nodes.OpsA.Port), TimeSpan.FromSeconds(5), CancellationToken.None);

    [Theory]
    [InlineData("this is not json", "malformed request: not JSON")]
    [InlineData("{\"id\":7,\"args\":", "malformed request: not JSON")]
    [InlineData("[1,2,3]", "expected a JSON object")]
    [InlineData("{\"id\":7}", "\"args\" must be an array of strings")]
    [InlineData("{\"id\":7,\"args\":\"cluster show\"}", "\"args\" must be an array of strings")]
    [InlineData("{\"id\":7,\"args\":[\"cluster\",3]}", "every element of \"args\" must be a string")]
    [InlineData("{\"id\":\"seven\",\"args\":[\"help\"]}", "\"id\" must be an integer")]
    [InlineData("{\"id\":7,\"secret\":5,\"args\":[\"help\"]}", "\"secret\" must be a string")]
    [InlineData("{\"id\":7,\"args\":[\"no\",\"such\",\"command\"]}", "unknown command 'no such command'")]
    public async Task A_bad_request_gets_an_error_and_the_connection_keeps_serving(string line, string error)
    {
        await using var client = await ConnectAsync();
        await client.SendLineAsync(line);
        var reply = await client.ReadReplyAsync();
        Assert.NotNull(reply);
        Assert.False(reply.Ok);
        Assert.Equal(OpsExitCodes.Usage, reply.ExitCode);
        Assert.Contains(error, reply.Error, StringComparison.Ordinal);

        var next = await client.RunAsync(["cluster", "show"], null, json: true).OnlyReplyAsync();
        Assert.True(next.Ok);
    }

    [Fact]
    public async Task An_oversize_line_is_refused_and_skipped_and_the_next_request_works()
    {
        await using var client = await ConnectAsync();
        await client.SendLineAsync("{\"id\":1,\"args\":[\"" + new string('x', 200_000) + "\"]}");
        var refused = await client.ReadReplyAsync();
        Assert.NotNull(refused);
        Assert.False(refused.Ok);
        Assert.Contains("request line longer than 65536 bytes", refused.Error, StringComparison.Ordinal);

        var next = await client.RunAsync(["cluster", "show"], null, json: true).OnlyReplyAsync();
        Assert.True(next.Ok);
        Assert.Equal(2, next.Data!["members"]!.AsArray().Count);
    }

    [Fact]
    public async Task Garbage_bytes_blank_lines_and_abrupt_disconnects_do_not_hurt_the_node()
    {
        for (var i = 0; i < 5; i++)
        {
            using var raw = new TcpClient();
            await raw.ConnectAsync("127.0.0.1", nodes.OpsA.Port);
            var stream = raw.GetStream();
            await stream.WriteAsync(new byte[] { 0xff, 0xfe, 0x00, 0x0a, 0x0a, 0x7b, 0xc3 });

            // Half a request, then gone.
            await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"id\":1,\"args\":[\"clus"));
        }

        await using var client = await ConnectAsync();
        await client.SendLineAsync(string.Empty);
        await client.SendLineAsync("   ");
        var reply = await client.RunAsync(["game", "stats"], null, json: true).OnlyReplyAsync();
        Assert.True(reply.Ok);
        Assert.False(nodes.A.System.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task Requests_on_one_connection_are_answered_by_id()
    {
        await using var client = await ConnectAsync();
        await client.SendLineAsync("{\"id\":41,\"args\":[\"help\"],\"json\":true}");
        await client.SendLineAsync("{\"id\":42,\"args\":[\"cluster\",\"show\"],\"json\":true}");
        var replies = new[] { await client.ReadReplyAsync(), await client.ReadReplyAsync() };
        Assert.Equal([41L, 42L], replies.Select(r => r!.Id).Order());
        Assert.All(replies, r => Assert.True(r!.Ok));
    }

    [Fact]
    public async Task An_unreachable_endpoint_exits_with_4_and_a_bad_endpoint_argument_with_2()
    {
        var unreachable = await Cli.RunAsync($"127.0.0.1:{TestConfig.FreePort()}", "cluster", "show");
        Assert.Equal(OpsExitCodes.Unreachable, unreachable.ExitCode);
        Assert.Contains("cannot reach the operator endpoint", unreachable.Error, StringComparison.Ordinal);

        var usage = await Cli.RunAsync("not-an-endpoint", "cluster", "show");
        Assert.Equal(OpsExitCodes.Usage, usage.ExitCode);

        var nothing = await Cli.RunAsync();
        Assert.Equal(OpsExitCodes.Usage, nothing.ExitCode);
        Assert.Contains("usage:", nothing.Output, StringComparison.Ordinal);
    }
}

/// <summary>Authentication: a secret is required off loopback, and when set, enforced on every request.</summary>
public class AuthenticationTests
{
    private const string OpsSecret = "operators-only-4711";

    [Fact]
    public async Task A_node_refuses_to_start_its_endpoint_off_loopback_without_a_secret()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => GameNode.StartAsync(TestConfig.Node("--ops-host", "0.0.0.0")));
        Assert.Contains("--ops-secret", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_loopback_with_a_secret_only_requests_carrying_it_are_served()
    {
        await using var node = await GameNode.StartAsync(TestConfig.Node("--ops-host", "0.0.0.0", "--ops-secret", OpsSecret));
        Assert.Equal("0.0.0.0", node.OpsEndpoint!.Address.ToString());
        var endpoint = $"127.0.0.1:{node.OpsEndpoint.Port}";

        var missing = await Cli.RunAsync(endpoint, "cluster", "show");
        Assert.Equal(OpsExitCodes.AuthenticationFailed, missing.ExitCode);
        Assert.Contains("authentication failed", missing.Error, StringComparison.Ordinal);
        Assert.Empty(missing.Output);

        var wrong = await Cli.RunAsync(endpoint, "--secret", "guess", "cluster", "show");
        Assert.Equal(OpsExitCodes.AuthenticationFailed, wrong.ExitCode);

        var right = await Cli.RunAsync(endpoint, "--secret", OpsSecret, "cluster", "show");
        Assert.Equal(0, right.ExitCode);
        var fromEnvironment = await Cli.RunAsync([endpoint, "game", "stats", "--json"], null, name => name == "AKKAGAME_OPS_SECRET" ? OpsSecret : null);
        Assert.Equal(0, fromEnvironment.ExitCode);

        // A wrong secret ends the connection: no second guess on it.
        await using var client = await OpsClient.ConnectAsync(new HostPort("127.0.0.1", node.OpsEndpoint.Port), TimeSpan.FromSeconds(5), CancellationToken.None);
        var refused = await client.RunAsync(["help"], "guess", json: true).OnlyReplyAsync();
        Assert.False(refused.Ok);
        Assert.Equal(OpsExitCodes.AuthenticationFailed, refused.ExitCode);
        Assert.Null(await client.ReadReplyAsync());
    }

    [Fact]
    public async Task A_secret_on_loopback_is_enforced_too()
    {
        await using var node = await GameNode.StartAsync(TestConfig.Node("--ops-secret", OpsSecret));
        var endpoint = $"127.0.0.1:{node.OpsEndpoint!.Port}";
        Assert.Equal(OpsExitCodes.AuthenticationFailed, (await Cli.RunAsync(endpoint, "help")).ExitCode);
        Assert.Equal(0, (await Cli.RunAsync(endpoint, "help", "--secret", OpsSecret)).ExitCode);
    }
}
