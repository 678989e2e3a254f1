using System.Globalization;
using Akka.Actor;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Sessions;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Node.Operations;

/// <summary><c>game players</c> (this node's connections) and <c>game kick PLAYER</c> (anywhere in the cluster).</summary>
public static class PlayerCommands
{
    /// <summary>A session answers at once unless it is closing; no reason to wait the full command timeout for one.</summary>
    private static readonly TimeSpan SessionAskTimeout = TimeSpan.FromSeconds(2);

    public static IEnumerable<IOpsCommand> Create(IActorRef gateway, IActorRef players)
    {
        yield return new OpsCommand(
            "game players",
            string.Empty,
            "players connected to this node: id, name, sector, connected for",
            async ctx =>
            {
                ctx.Args.Expect(0, 0);
                var sessions = await gateway.Ask<List<IActorRef>>(GatewayActor.ListSessions.Instance, ctx.Timeout);
                var infos = (await Task.WhenAll(sessions.Select(AskSession))).OfType<SessionInfo>().ToList();
                var players = infos.Where(i => i.PlayerId is not null).OrderBy(i => i.PlayerId, StringComparer.Ordinal)
                    .Select(i => new { player = i.PlayerId!, name = i.Name, sector = i.SectorId, connectedSeconds = (long)i.Connected.TotalSeconds, connection = i.ConnectionId, phase = i.Phase })
                    .ToList();
                var table = OpsTable.Of(
                    ["PLAYER", "NAME", "SECTOR", "CONNECTED", "CONNECTION"],
                    players.Select(p => (IReadOnlyList<string>)[p.player, p.name ?? string.Empty, p.sector ?? string.Empty, Duration(p.connectedSeconds), p.connection]));
                var loggingIn = infos.Count - players.Count;
                return OpsReply.Success(table, $"{players.Count} players on this node; {loggingIn} connections not logged in", new { players, notLoggedIn = loggingIn });
            });
        yield return new OpsCommand(
            "game kick",
            "PLAYER [REASON...]",
            "closes the player's connection with a fatal error that names the reason; the client does not reconnect by itself",
            async ctx =>
            {
                var player = ctx.Args.Required(0);
                var reason = ctx.Args.Positional.Count > 1 ? ctx.Args.Text(1) : "no reason given";
                var kicked = await players.Ask<PlayerKicked>(new KickPlayer(player, reason), ctx.Timeout);
                if (kicked.SessionPath is null)
                {
                    return OpsReply.Failure($"player {player} has no live session", OpsExitCodes.Failed);
                }

                return OpsReply.Success(text: $"kicked {player}: {reason}", data: new { player, reason, session = kicked.SessionPath });
            });
    }

    private static async Task<SessionInfo?> AskSession(IActorRef session)
    {
        try
        {
            return await session.Ask<SessionInfo>(GetSessionInfo.Instance, SessionAskTimeout);
        }
        catch (AskTimeoutException)
        {
            // The connection closed between the listing and the question: not a player here any more.
            return null;
        }
    }

    private static string Duration(long seconds) =>
        TimeSpan.FromSeconds(seconds).ToString(seconds >= 86400 ? @"d\.hh\:mm\:ss" : @"hh\:mm\:ss", CultureInfo.InvariantCulture);
}
