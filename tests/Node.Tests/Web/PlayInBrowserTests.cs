using System.Globalization;
using AkkaGame.Node.Tests.Support;
using AkkaGame.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AkkaGame.Node.Tests.Web;

/// <summary>
/// A person plays in headless Chromium on the page the node serves (clients/js/play, over the
/// WebSocket gateway): types a name and presses Play, clicks in space and sees the ship fly there,
/// flies to a rock and mines it and sees the credits, chats, flies to a gate and jumps. Every
/// action is a real click or keystroke; screenshots go to TestResults/screenshots.
/// </summary>
public sealed class PlayInBrowserTests(PlayInBrowserTests.PlayNode fixture, ITestOutputHelper output) : IClassFixture<PlayInBrowserTests.PlayNode>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_person_logs_in_flies_mines_chats_and_jumps()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.OpenAsync(fixture.Node.WebSockets!.PageUrl);

        await browser.ClickAsync("#name");
        await browser.TypeAsync("Ada");
        await browser.ClickAsync("#play");
        await browser.WaitForAsync("document.querySelector('#state').innerText === 'playing' && document.querySelector('#space').dataset.x !== undefined", Wait);
        var sector = await browser.TextAsync("document.querySelector('#sector').innerText");
        Assert.Matches("^s-[0-9]+-[0-9]+$", sector);
        Assert.Equal("0", await browser.TextAsync("document.querySelector('#credits').innerText"));
        output.WriteLine("screenshot: " + await browser.ScreenshotAsync("play-logged-in"));

        // Click in space: the ship flies there.
        await FlyToAsync(browser, 700, 300);
        output.WriteLine("screenshot: " + await browser.ScreenshotAsync("play-flown"));

        // Fly to a rock with ore and mine it: the credits go up.
        var rock = await browser.EvaluateAsync("[...view.asteroids.values()].filter(a => a.ore > 0).map(a => [a.x, a.y])[0]");
        await FlyToAsync(browser, rock![0]!.GetValue<double>(), rock[1]!.GetValue<double>());
        await browser.ClickAsync("#mine");
        await browser.WaitForAsync("Number(document.querySelector('#credits').innerText) > 0", Wait);
        output.WriteLine("screenshot: " + await browser.ScreenshotAsync("play-mined"));

        // Chat: typed, sent with Enter, shown in the log.
        await browser.ClickAsync("#chat-text");
        await browser.TypeAsync("hello from Chromium");
        await browser.PressEnterAsync();
        await browser.WaitForAsync("document.querySelector('#chat-log').innerText.includes('Ada: hello from Chromium')", Wait);

        // Fly to a gate and jump: the page shows the next sector.
        var gate = await browser.EvaluateAsync("[view.gates[0].x, view.gates[0].y, view.gates[0].toSector]");
        await FlyToAsync(browser, gate![0]!.GetValue<double>(), gate[1]!.GetValue<double>());
        await browser.ClickAsync("#jump");
        var next = gate[2]!.GetValue<string>();
        await browser.WaitForAsync($"document.querySelector('#sector').innerText === '{next}' && document.querySelector('#space').dataset.sector === '{next}'", Wait);
        Assert.NotEqual(sector, next);
        output.WriteLine("screenshot: " + await browser.ScreenshotAsync("play-jumped"));
        Assert.Equal(string.Empty, await browser.TextAsync("document.querySelector('#last-error').innerText"));
        Assert.Empty(browser.PageErrors);
    }

    /// <summary>Clicks the canvas where the world point (x, y) is drawn and waits until the ship is there.</summary>
    private static async Task FlyToAsync(HeadlessChromium browser, double x, double y)
    {
        var box = await browser.EvaluateAsync("(() => { const r = document.querySelector('#space').getBoundingClientRect(); return [r.left, r.top, r.width, r.height, view.width, view.height]; })()");
        double At(int i) => box![i]!.GetValue<double>();
        await browser.ClickAtAsync(At(0) + (x * At(2) / At(4)), At(1) + (y * At(3) / At(5)));

        // A click lands on a pixel: the ship goes to within a world unit or two of the point.
        var tolerance = Math.Max(2, At(4) / At(2) * 1.5).ToString("0.###", CultureInfo.InvariantCulture);
        var (tx, ty) = (x.ToString("0.###", CultureInfo.InvariantCulture), y.ToString("0.###", CultureInfo.InvariantCulture));
        await browser.WaitForAsync($"Math.hypot(Number(document.querySelector('#space').dataset.x) - {tx}, Number(document.querySelector('#space').dataset.y) - {ty}) < {tolerance}", Wait);
    }

    /// <summary>Ships fast enough that a flight takes about a second, slow enough to be seen moving.</summary>
    public sealed class PlayNode : NodeFixture
    {
        protected override string Hocon => "akkagame.world.ship-speed = 800";
    }
}
