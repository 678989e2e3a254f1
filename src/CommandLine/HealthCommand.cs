using System.CommandLine;

namespace AkkaGame.CommandLine;

/// <summary>
/// "health": asks a running process's /health/ready (or /health/live) and exits 0 when it answers
/// 200, 1 otherwise. For container health checks: the runtime images have no curl.
/// </summary>
public static class HealthCommand
{
    public static Command Create(Func<string, string?> environment, int defaultHttpPort)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var port = environment("AKKAGAME_HTTP_PORT") is { Length: > 0 } p ? p : defaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var options = new Options(environment);
        var url = options.Text("url", "what to ask", fallback: $"http://127.0.0.1:{port}/health/ready");
        var timeout = options.Duration("timeout", "how long to wait for the answer", TimeSpan.FromSeconds(3));
        var command = new Command("health", "exit 0 if the running process answers its health URL with 200 (default: readiness on this machine's HTTP port)") { url, timeout };
        command.SetAction(async (parsed, ct) =>
        {
            using var http = new HttpClient { Timeout = parsed.GetValue(timeout) };
            try
            {
                using var answer = await http.GetAsync(new Uri(parsed.GetValue(url)!), ct);
                Console.WriteLine($"{(int)answer.StatusCode} {(await answer.Content.ReadAsStringAsync(ct)).Trim()}");
                return answer.IsSuccessStatusCode ? 0 : 1;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Console.WriteLine("no answer: " + e.Message);
                return 1;
            }
        });
        return command;
    }
}
