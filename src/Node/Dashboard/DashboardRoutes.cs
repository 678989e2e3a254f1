using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using AkkaGame.Game.Simulation;
using AkkaGame.Node.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaGame.Node.Dashboard;

/// <summary>
/// The dashboard on the node's HTTP endpoint: the page (plain HTML, CSS and JavaScript embedded
/// in this assembly, no build step), the overview and one sector as JSON, and both as
/// server-sent events for live updates (the overview every second, a sector five times a second).
/// </summary>
public static class DashboardRoutes
{
    /// <summary>An event stream ends after this; the browser's EventSource reconnects by itself.</summary>
    private static readonly TimeSpan StreamLimit = TimeSpan.FromMinutes(10);

    private static readonly (string Path, string Resource)[] Assets =
    [
        ("/", "index.html"),
        ("/dashboard.js", "dashboard.js"),
        ("/dashboard.css", "dashboard.css"),
    ];

    public static void Map(RouteGroupBuilder routes, DashboardData data, WorldRules world)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(data);
        EmbeddedPages.Map(routes, "AkkaGame.Node.Dashboard.", Assets);
        routes.MapGet("/api/overview", (CancellationToken ct) => data.OverviewAsync(ct));
        routes.MapGet("/api/overview/stream", (CancellationToken ct) =>
            TypedResults.ServerSentEvents(Every(TimeSpan.FromSeconds(1), data.OverviewAsync, ct), "overview"));
        routes.MapGet("/api/sectors/{id}", async (string id, CancellationToken ct) =>
            !SectorId.IsValid(id, world) ? Results.NotFound($"no sector {id} in this world")
            : await data.SectorAsync(id, ct) is { } view ? Results.Ok(view)
            : Results.NotFound($"sector {id} is not running on any node"));
        routes.MapGet("/api/sectors/{id}/stream", (string id, CancellationToken ct) =>
            !SectorId.IsValid(id, world) ? Results.NotFound($"no sector {id} in this world")
            : TypedResults.ServerSentEvents(Every(TimeSpan.FromMilliseconds(200), c => data.SectorAsync(id, c), ct), "sector"));
    }

    private static async IAsyncEnumerable<T> Every<T>(TimeSpan interval, Func<CancellationToken, Task<T>> next, [EnumeratorCancellation] CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(StreamLimit);
        using var timer = new PeriodicTimer(interval);
        while (!limit.IsCancellationRequested)
        {
            yield return await next(limit.Token);
            try
            {
                if (!await timer.WaitForNextTickAsync(limit.Token))
                {
                    yield break;
                }
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
