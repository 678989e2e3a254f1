using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AkkaGame.Node.Hosting;

/// <summary>Serves files embedded in the node (the dashboard, the play page) at fixed paths, read once at start.</summary>
public static class EmbeddedPages
{
    /// <param name="prefix">The resources' logical-name prefix (Node.csproj), e.g. "AkkaGame.Node.Dashboard.".</param>
    /// <param name="files">Each URL path and its resource name under the prefix.</param>
    public static void Map(IEndpointRouteBuilder routes, string prefix, IEnumerable<(string Path, string Resource)> files)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(files);
        foreach (var (path, resource) in files)
        {
            var bytes = Read(prefix + resource);
            var type = resource.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                : resource.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8"
                : "text/html; charset=utf-8";
            routes.MapGet(path, () => Results.Bytes(bytes, type));
        }
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(EmbeddedPages).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the node (see Node.csproj)");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
