using System.Net;
using Akkagame.V1;
using AkkaGame.Node.Tests.Support;
using AkkaGame.Operations.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace AkkaGame.Node.Tests.Web;

/// <summary>
/// The node's HTTP endpoint as a Prometheus server and an orchestrator see it: real traffic moves
/// the numbers, each by what happened, and readiness follows the node's state.
/// </summary>
public sealed class MetricsAndHealthTests(GameFlowNode fixture) : IClassFixture<GameFlowNode>, IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private string Url => fixture.Node.Http?.Url ?? throw new InvalidOperationException("the node's HTTP endpoint is off: " + fixture.Node.HttpProblem);

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Metrics_move_with_real_traffic()
    {
        var before = await Prometheus.ScrapeAsync(_http, Url + "metrics");

        await using var player = await RawConnection.ConnectAsync(fixture.Endpoint);
        await player.LoginAsGuestAsync("metrics");
        await player.SendAsync(new ClientMessage { Seq = 5, MoveTo = new MoveTo { X = float.NaN, Y = 1 } });
        await player.ReadAsync(m => m.Error is not null && m.Ack == 5, Wait);
        await player.SendAsync(new ClientMessage { Seq = 6, MoveTo = new MoveTo { X = 100, Y = 100 } });
        await using (var garbage = await RawConnection.ConnectAsync(fixture.Endpoint))
        {
            await garbage.SendBytesAsync([0, 0, 0, 5, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]);
            await garbage.ExpectFatalAsync(ErrorCode.Malformed);
        }

        // Observable counters are read at scrape time; the tick histogram needs ticks, and the
        // sector gauges the sector's first report (once a second): scraped until they show (bounded).
        var after = await Prometheus.ScrapeAsync(_http, Url + "metrics");
        for (var deadline = DateTime.UtcNow + Wait; DateTime.UtcNow < deadline && !(after["akkagame_players"] >= 1 && after["akkagame_tick_duration_seconds_count"] > before["akkagame_tick_duration_seconds_count"]);)
        {
            await Task.Delay(100);
            after = await Prometheus.ScrapeAsync(_http, Url + "metrics");
        }

        Assert.True(after["akkagame_connections"] >= 1, after.Text);
        Assert.True(after["akkagame_connections_accepted_total"] >= before["akkagame_connections_accepted_total"] + 2);
        Assert.True(after["akkagame_logins_total{result=\"ok\"}"] >= before["akkagame_logins_total{result=\"ok\"}"] + 1);
        Assert.True(after["akkagame_messages_received_total"] >= before["akkagame_messages_received_total"] + 3);
        Assert.True(after["akkagame_messages_sent_total"] > before["akkagame_messages_sent_total"]);
        Assert.True(after["akkagame_received_bytes_total"] > before["akkagame_received_bytes_total"]);
        Assert.True(after["akkagame_sent_bytes_total"] > before["akkagame_sent_bytes_total"]);
        Assert.Equal(before["akkagame_errors_answered_total{code=\"invalid_input\"}"] + 1, after["akkagame_errors_answered_total{code=\"invalid_input\"}"]);
        Assert.Equal(before["akkagame_errors_fatal_total{code=\"malformed\"}"] + 1, after["akkagame_errors_fatal_total{code=\"malformed\"}"]);
        Assert.True(after["akkagame_tick_duration_seconds_count"] > before["akkagame_tick_duration_seconds_count"]);
        Assert.True(after["akkagame_persistence_write_duration_seconds_count{entity=\"player\"}"] > before["akkagame_persistence_write_duration_seconds_count{entity=\"player\"}"], "the login registers the player before Welcome");
        Assert.True(after["akkagame_sectors"] >= 1);
        Assert.True(after["akkagame_players"] >= 1);
        Assert.Equal(1, after["akkagame_cluster_members{status=\"up\"}"]);
        Assert.Equal(0, after["akkagame_persistence_failures_total"]);
        Assert.Contains(after.Names, n => n.StartsWith("akkagame_sector_tick_p99_seconds", StringComparison.Ordinal));

        // Every metric the node exports is documented.
        var documented = File.ReadAllText(Path.Combine(AkkaGame.TestSupport.Repository.Root, "docs", "metrics.md"));
        foreach (var name in after.Names.Where(n => n.StartsWith("akkagame_", StringComparison.Ordinal) || n.StartsWith("dotnet_", StringComparison.Ordinal)))
        {
            var histogram = System.Text.RegularExpressions.Regex.Replace(name, "_(bucket|sum|count)$", string.Empty);
            var family = after.Names.Contains(histogram + "_bucket") ? histogram : name;
            Assert.True(documented.Contains($"`{family}`", StringComparison.Ordinal), $"{family} is exported but not in docs/metrics.md");
        }

        // The runtime's figures come with them: GC and thread pool.
        Assert.True(after.Has("dotnet_gc_collections_total{gc_heap_generation=\"gen0\"}"), after.Text);
        Assert.True(after["dotnet_thread_pool_thread_count_total"] >= 1 || after["dotnet_thread_pool_thread_count"] >= 1, after.Text);
    }

    [Fact]
    public async Task Live_and_ready_when_the_node_serves()
    {
        using var live = await _http.GetAsync(new Uri(Url + "health/live"));
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        using var ready = await _http.GetAsync(new Uri(Url + "health/ready"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains($"game clients on {fixture.Endpoint}", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", "", null, StatusCodes.Status200OK)]
    [InlineData("10.1.2.3", "", null, StatusCodes.Status403Forbidden)]
    [InlineData("10.1.2.3", "s3cret", null, StatusCodes.Status401Unauthorized)]
    [InlineData("10.1.2.3", "s3cret", "operator:wrong", StatusCodes.Status401Unauthorized)]
    [InlineData("10.1.2.3", "s3cret", "operator:s3cret", StatusCodes.Status200OK)]
    [InlineData("0.0.0.0", "s3cret", "anyone:s3cret", StatusCodes.Status200OK)]
    public async Task The_dashboard_off_loopback_needs_the_operator_secret(string bound, string secret, string? credentials, int expected)
    {
        var filter = HttpEndpoint.RequireOperator(IPAddress.Parse(bound), secret);
        var http = new DefaultHttpContext();
        if (credentials is not null)
        {
            http.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials));
        }

        var result = await filter(new DefaultEndpointFilterInvocationContext(http), _ => ValueTask.FromResult<object?>(Results.Ok()));
        http.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        await ((IResult)result!).ExecuteAsync(http);
        Assert.Equal(expected, http.Response.StatusCode);
    }
}

/// <summary>Readiness during a drain: its own node, since the drain stops it.</summary>
public sealed class ReadinessDuringDrainTests : IAsyncLifetime
{
    private readonly DrainNode _node = new();

    public Task InitializeAsync() => _node.InitializeAsync();

    public Task DisposeAsync() => _node.DisposeAsync();

    [Fact]
    public async Task Ready_turns_503_when_the_drain_starts_while_live_still_answers()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var url = _node.Node.Http!.Url;

        // A client that never hangs up holds the drain open for close-linger.
        await using var stubborn = await RawConnection.ConnectAsync(_node.Endpoint);
        await stubborn.LoginAsGuestAsync("stubborn");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(url + "health/ready"))).StatusCode);

        var stopping = _node.Node.StopAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        HttpResponseMessage? ready = null;
        while (DateTime.UtcNow < deadline)
        {
            ready = await http.GetAsync(new Uri(url + "health/ready"));
            if (ready.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready!.StatusCode);
        Assert.Contains("draining", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(url + "health/live"))).StatusCode);
        await stopping;
    }

    private sealed class DrainNode : NodeFixture
    {
        protected override string Hocon => "akkagame.gateway.close-linger = 3s";
    }
}
