using Microsoft.AspNetCore.Builder;
using AkkaGame.Node.Hosting;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// The page where a person plays, on the WebSocket gateway's port: clients/js/play and the
/// JavaScript client (clients/js/src, with protobuf.js's light build), embedded in the node as
/// they are in the repository. The page connects back to this port's /ws.
/// </summary>
public static class PlayPage
{
    private static readonly (string Path, string Resource)[] Files =
    [
        ("/", "index.html"),
        ("/play.js", "play.js"),
        ("/play.css", "play.css"),
        ("/js/akkagame-client.js", "js.akkagame-client.js"),
        ("/js/game-descriptor.js", "js.game-descriptor.js"),
        ("/js/protobuf.light.min.js", "js.protobuf.light.min.js"),
    ];

    public static void Map(WebApplication app) => EmbeddedPages.Map(app, "AkkaGame.Node.Play.", Files);
}
