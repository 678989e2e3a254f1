using AkkaGame.Node.Tests.Support;
using AkkaGame.Protocol.Client;
using AkkaGame.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AkkaGame.Node.Tests.Web;

/// <summary>
/// The dashboard as a person sees it: headless Chromium opens the node's page while players fly
/// around, and the test reads what the page shows: the member, the world grid with the sectors
/// that run and their players, the node's traffic, and ships moving in the spectator view.
/// Screenshots go to TestResults/screenshots.
/// </summary>
public sealed class DashboardBrowserTests(DashboardBrowserTests.PlainNode fixture, ITestOutputHelper output) : IClassFixture<DashboardBrowserTests.PlainNode>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_person_sees_the_cluster_the_world_and_ships_moving()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var players = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => FlyAroundAsync($"pilot-{i}", i, stop.Token)));
        try
        {
            await using var browser = await HeadlessChromium.StartAsync();
            await browser.OpenAsync(fixture.Node.Http!.Url);

            // The cluster: this node, Up.
            await browser.WaitForAsync("document.querySelector('#members').dataset.up === '1'", Wait);
            Assert.Contains("Up", await browser.TextAsync("document.querySelector('#members tbody').innerText"), StringComparison.Ordinal);

            // The world: the sectors the pilots are in, coloured by their node, with their players.
            await browser.WaitForAsync("[...document.querySelectorAll('.cell[data-players]')].reduce((a, c) => a + Number(c.dataset.players), 0) >= 8", Wait);
            var cells = await browser.EvaluateAsync("document.querySelectorAll('.cell').length");
            Assert.Equal(fixture.Node.Settings.World.SectorsX * fixture.Node.Settings.World.SectorsY, cells!.GetValue<int>());
            Assert.Matches(@"[0-9]+\.[0-9] ms", await browser.TextAsync("document.querySelector('.cell[data-node]').innerText"));
            var node = await browser.TextAsync("document.querySelector('.cell[data-node]').dataset.node");
            Assert.Equal(Akka.Cluster.Cluster.Get(fixture.Node.System).SelfAddress.ToString(), node);

            // The node's traffic: its connections and messages per second.
            await browser.WaitForAsync("Number(document.querySelector('#nodes tbody tr td:nth-child(2)').innerText) >= 8", Wait);
            await browser.WaitForAsync("Number(document.querySelector('#nodes tbody tr td:nth-child(6)').innerText) > 0", Wait);

            // The spectator view: a sector with a pilot in it, drawn, its ship moving.
            await browser.WaitForAsync("Number(document.querySelector('#spectator').dataset.frames) >= 5", Wait);
            await browser.WaitForAsync("document.querySelector('#spectator').dataset.moved === 'true'", Wait);
            Assert.Contains("pilot-", await browser.TextAsync("document.querySelector('#ships').innerText"), StringComparison.Ordinal);
            output.WriteLine("screenshot: " + await browser.ScreenshotAsync("dashboard-live"));

            // Clicking another running sector watches that one.
            var other = await browser.TextAsync(
                "[...document.querySelectorAll('.cell[data-players]')].map(c => c.dataset.sector).find(id => id !== document.querySelector('#spectator').dataset.sector)");
            await browser.ClickAsync($".cell[data-sector='{other}']");
            await browser.WaitForAsync($"document.querySelector('#spectated').innerText === '{other}' && Number(document.querySelector('#spectator').dataset.ships) >= 1", Wait);
            output.WriteLine("screenshot: " + await browser.ScreenshotAsync("dashboard-other-sector"));
            Assert.Empty(browser.PageErrors);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var player in players)
            {
                await player.DisposeAsync();
            }
        }
    }

    /// <summary>A pilot that keeps flying between two points until the test ends (bounded by the token).</summary>
    private async Task<GameClient> FlyAroundAsync(string name, int seed, CancellationToken stop)
    {
        var client = fixture.NewClient(name);
        await client.ConnectAsync(stop);
        _ = Task.Run(
            async () =>
            {
                var random = new Random(seed);
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await client.SendMoveToAsync(random.Next(100, 900), random.Next(100, 900));
                        await Task.Delay(700, stop);
                    }
                    catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or IOException)
                    {
                        return;
                    }
                }
            },
            stop);
        return client;
    }

    /// <summary>The game's own speeds, so ships take seconds to cross a sector, as a person would watch them.</summary>
    public sealed class PlainNode : NodeFixture
    {
        protected override string Hocon => "akkagame.world.ship-speed = 150";
    }
}
