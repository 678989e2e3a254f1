using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AkkaGame.TestSupport;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol: opens a page as a person
/// would, reads what it shows (a JavaScript expression over the DOM), clicks and types through
/// real input events, and saves screenshots as test artifacts (TestResults/screenshots). One
/// browser per instance; disposing kills it and removes its profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Where the screenshots go: kept by CI with the other test results.</summary>
    public static string ScreenshotDirectory => Path.Combine(Repository.Root, "TestResults", "screenshots");

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly List<string> _pageErrors = [];
    private int _nextId;
    private string? _session;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser: Debian's package, or CHROMIUM if set. A missing browser fails the test: CI installs it (.ci/run).</summary>
    public static string Executable => Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<HeadlessChromium> StartAsync(int width = 1400, int height = 1000)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"Chromium is not at {Executable}: install Debian's chromium package (.ci/run does) or set CHROMIUM");
        }

        var profile = Path.Combine(Path.GetTempPath(), "akkagame-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // The flags of this machine's probe: no sandbox (root), no GPU, and nothing that reaches
        // out to Google's servers (refused here, and slow to fail).
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1", $"--user-data-dir={profile}", $"--window-size={width},{height}", "about:blank",
        })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            var endpoint = await browser.DevToolsEndpointAsync(TimeSpan.FromSeconds(30));
            await browser._socket.ConnectAsync(new Uri(endpoint), CancellationToken.None);
            var target = await browser.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
            var attached = await browser.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true });
            browser._session = attached["sessionId"]!.GetValue<string>();
            await browser.SendAsync("Page.enable", []);
            await browser.SendAsync("Runtime.enable", []);
            await browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Uncaught exceptions the page threw so far (seen while talking to the browser): a test fails on any.</summary>
    public IReadOnlyList<string> PageErrors => _pageErrors;

    public async Task OpenAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForAsync("document.readyState === 'complete'", TimeSpan.FromSeconds(15));
    }

    /// <summary>The value of a JavaScript expression in the page (returned by value: strings, numbers, booleans, arrays, objects).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } error)
        {
            throw new InvalidOperationException($"the page threw on `{expression}`: {error.ToJsonString()}");
        }

        return result["result"]?["value"];
    }

    public async Task<string> TextAsync(string expression) => (await EvaluateAsync(expression))?.ToString() ?? string.Empty;

    /// <summary>Waits (bounded) until the expression is truthy in the page; fails with what the page showed.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if ((await EvaluateAsync($"!!({expression})"))?.GetValue<bool>() == true)
            {
                return;
            }

            await Task.Delay(100);
        }

        var body = await TextAsync("document.body ? document.body.innerText.slice(0, 2000) : ''");
        throw new TimeoutException($"the page did not show `{expression}` within {timeout.TotalSeconds:0} s; it showed:\n{body}");
    }

    /// <summary>A real mouse click at the centre of the element the selector finds.</summary>
    public async Task ClickAsync(string selector)
    {
        var box = await EvaluateAsync($"(() => {{ const r = document.querySelector({JsonSerializer.Serialize(selector)}).getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }})()")
            ?? throw new InvalidOperationException($"nothing matches {selector}");
        await ClickAtAsync(box[0]!.GetValue<double>(), box[1]!.GetValue<double>());
    }

    public async Task ClickAtAsync(double x, double y)
    {
        foreach (var type in new[] { "mousePressed", "mouseReleased" })
        {
            await SendAsync("Input.dispatchMouseEvent", new JsonObject { ["type"] = type, ["x"] = x, ["y"] = y, ["button"] = "left", ["clickCount"] = 1 });
        }
    }

    /// <summary>Types text into the focused element, as keystrokes would.</summary>
    public Task TypeAsync(string text) => SendAsync("Input.insertText", new JsonObject { ["text"] = text });

    public async Task PressEnterAsync()
    {
        await SendAsync("Input.dispatchKeyEvent", new JsonObject { ["type"] = "keyDown", ["key"] = "Enter", ["code"] = "Enter", ["windowsVirtualKeyCode"] = 13, ["text"] = "\r" });
        await SendAsync("Input.dispatchKeyEvent", new JsonObject { ["type"] = "keyUp", ["key"] = "Enter", ["code"] = "Enter", ["windowsVirtualKeyCode"] = 13 });
    }

    /// <summary>Saves what the page shows now as TestResults/screenshots/NAME.png; returns the path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot["data"]!.GetValue<string>()));
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            // Already gone.
        }

        _socket.Dispose();
        _sending.Dispose();
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A file Chromium still held: the temporary directory is cleaned by the system.
        }
    }

    private async Task<string> DevToolsEndpointAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await _process.StandardError.ReadLineAsync(cts.Token) is { } line)
        {
            const string prefix = "DevTools listening on ";
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                // The rest of its output is drained so the pipe never fills and blocks it.
                _ = _process.StandardError.ReadToEndAsync();
                _ = _process.StandardOutput.ReadToEndAsync();
                return line[prefix.Length..].Trim();
            }
        }

        throw new InvalidOperationException($"Chromium exited before it listened (exit code {(_process.HasExited ? _process.ExitCode : -1)})");
    }

    /// <summary>One DevTools command and its result; events in between are skipped.</summary>
    private async Task<JsonNode> SendAsync(string method, JsonObject parameters)
    {
        await _sending.WaitAsync();
        try
        {
            var id = ++_nextId;
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
            if (_session is not null)
            {
                message["sessionId"] = _session;
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cts.Token);
            var buffer = new byte[64 * 1024];
            while (true)
            {
                using var received = new MemoryStream();
                WebSocketReceiveResult part;
                do
                {
                    part = await _socket.ReceiveAsync(buffer, cts.Token);
                    received.Write(buffer, 0, part.Count);
                }
                while (!part.EndOfMessage);

                var reply = JsonNode.Parse(received.ToArray())!;
                if (reply["method"]?.GetValue<string>() == "Runtime.exceptionThrown")
                {
                    var details = reply["params"]?["exceptionDetails"];
                    _pageErrors.Add(details?["exception"]?["description"]?.GetValue<string>() ?? details?["text"]?.GetValue<string>() ?? reply.ToJsonString());
                }

                if (reply["id"]?.GetValue<int>() != id)
                {
                    continue;
                }

                if (reply["error"] is { } error)
                {
                    throw new InvalidOperationException($"DevTools {method}: {error.ToJsonString()}");
                }

                return reply["result"] ?? new JsonObject();
            }
        }
        finally
        {
            _sending.Release();
        }
    }
}
