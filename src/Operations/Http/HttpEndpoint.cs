using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace AkkaGame.Operations.Http;

/// <summary>Whether a process should get traffic now, and if not, why (for /health/ready's body).</summary>
public sealed record Readiness(bool Ready, string Detail);

/// <summary>
/// The HTTP endpoint of a game node or the lighthouse, on Kestrel: <c>/metrics</c> (Prometheus
/// text from OpenTelemetry: the process's own meter, and the runtime's GC and thread-pool
/// figures), <c>/health/live</c> (the process serves), <c>/health/ready</c> (the caller's
/// readiness), and whatever else the caller maps in <c>routes</c> (the node's dashboard), which
/// off loopback asks for the operator secret.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    private readonly KestrelHost _host;

    private HttpEndpoint(KestrelHost host) => _host = host;

    public IPEndPoint LocalEndpoint => _host.LocalEndpoint;

    /// <summary>http://host:port/ as a person would type it.</summary>
    public string Url => $"http://{LocalEndpoint}/";

    /// <summary>
    /// Starts the endpoint; a port that is taken leaves the process running without it (returned
    /// as the problem), as the operator endpoint does: the game matters more than its gauges.
    /// </summary>
    /// <param name="service">The Prometheus target_info's service_name (akkagame-node, akkagame-lighthouse).</param>
    /// <param name="meterName">The process's own meter; the runtime's meters are added to it.</param>
    /// <param name="ready">Asked on every /health/ready.</param>
    /// <param name="routes">More routes (the dashboard), behind <see cref="RequireOperator"/>.</param>
    public static async Task<(HttpEndpoint? Endpoint, string? Problem)> TryStartAsync(
        HttpSettings settings,
        string service,
        string meterName,
        Func<CancellationToken, Task<Readiness>> ready,
        Action<RouteGroupBuilder>? routes = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(ready);
        var address = settings.BindAddress();
        var (host, problem) = await KestrelHost.TryStartAsync(
            "HTTP",
            address,
            settings.Port,
            services => services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(service)).WithMetrics(metrics => metrics
                .AddMeter(meterName)
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter()),
            app =>
            {
                app.MapPrometheusScrapingEndpoint("/metrics");
                app.MapGet("/health/live", () => Results.Text("live\n"));
                app.MapGet("/health/ready", async (CancellationToken ct) =>
                {
                    var readiness = await ready(ct);
                    return Results.Text(readiness.Detail + "\n", statusCode: readiness.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
                });
                if (routes is not null)
                {
                    var group = app.MapGroup(string.Empty);
                    group.AddEndpointFilter(RequireOperator(address, settings.Secret));
                    routes(group);
                }
            });
        return host is null ? (null, problem) : (new HttpEndpoint(host), null);
    }

    /// <summary>
    /// Loopback: open (only this machine's users reach it). Any other address: HTTP Basic with the
    /// operator secret as password; without a secret configured, refused (a read-only view, but of
    /// every player's position, which a game may not want public).
    /// </summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> RequireOperator(IPAddress bound, string secret)
    {
        ArgumentNullException.ThrowIfNull(bound);
        var open = IPAddress.IsLoopback(bound);
        var expected = Encoding.UTF8.GetBytes(secret ?? string.Empty);
        return (ctx, next) =>
        {
            if (open)
            {
                return next(ctx);
            }

            if (expected.Length == 0)
            {
                return ValueTask.FromResult<object?>(Results.Text(
                    "The dashboard is off: this endpoint is not on loopback and no operator secret is set (--ops-secret).\n",
                    statusCode: StatusCodes.Status403Forbidden));
            }

            if (BasicPassword(ctx.HttpContext.Request.Headers.Authorization.ToString()) is { } given
                && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected))
            {
                return next(ctx);
            }

            ctx.HttpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"AkkaGame operators\", charset=\"UTF-8\"";
            return ValueTask.FromResult<object?>(Results.Text("The operator secret is required (any user name, the secret as password).\n", statusCode: StatusCodes.Status401Unauthorized));
        };
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static string? BasicPassword(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : decoded[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
