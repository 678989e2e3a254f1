using System.Globalization;
using Akka.Actor;
using AkkaGame.Game.Simulation;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Node.Operations;

/// <summary><c>game sectors</c> and <c>game sector ID</c>.</summary>
public static class SectorCommands
{
    public static IEnumerable<IOpsCommand> Create(IActorRef sectors, WorldRules world)
    {
        yield return new OpsCommand(
            "game sectors",
            string.Empty,
            "running sectors in the cluster: node, ships, connected players, tick time p99, time dilation, players whose clients predict motion",
            async ctx =>
            {
                ctx.Args.Expect(0, 0);
                var (live, silent) = await LiveSectors.InClusterAsync(ctx.System, sectors, ctx.Timeout);
                var infos = (await LiveSectors.InfoAsync(sectors, live.Select(s => s.SectorId), ctx.Timeout)).ToDictionary(i => i.SectorId);
                var rows = live.Where(s => infos.ContainsKey(s.SectorId)).Select(s =>
                {
                    var info = infos[s.SectorId];
                    return new { sector = s.SectorId, node = s.Node, ships = info.Ships, players = info.ConnectedShips, tickP99Ms = Math.Round(info.TickMillisP99, 3), timeDilation = Math.Round(info.TimeDilation, 2), tick = info.Tick, predictingPlayers = info.PredictingPlayers };
                }).ToList();
                var table = OpsTable.Of(
                    ["SECTOR", "NODE", "SHIPS", "PLAYERS", "TICK P99 MS", "DILATION", "TICK", "PREDICTING"],
                    rows.Select(r => (IReadOnlyList<string>)[r.sector, r.node, Num(r.ships), Num(r.players), r.tickP99Ms.ToString("0.000", CultureInfo.InvariantCulture), Dilation(r.timeDilation), r.tick.ToString(CultureInfo.InvariantCulture), Num(r.predictingPlayers)]));
                var dilated = rows.Count(r => r.timeDilation < 1);
                var text = $"{rows.Count} sectors running, {rows.Sum(r => r.players)} players connected"
                    + (dilated > 0 ? $"; {dilated} dilated" : string.Empty)
                    + (silent.Count > 0 ? $"; no answer from {string.Join(", ", silent)}" : string.Empty);
                return OpsReply.Success(table, text, new { sectors = rows, silentNodes = silent });
            });
        yield return new OpsCommand(
            "game sector",
            "ID",
            "one sector in brief: tick, ships with positions, asteroids, tick time",
            async ctx =>
            {
                ctx.Args.Expect(1, 1);
                var id = SectorArg(ctx.Args.Required(0), world);

                var info = (await LiveSectors.InfoAsync(sectors, [id], ctx.Timeout)).SingleOrDefault()
                    ?? throw new OpsCommandException($"sector {id} did not answer within {ctx.Timeout.TotalSeconds:0.#} s");
                var table = OpsTable.Of(
                    ["PLAYER", "NAME", "X", "Y", "CONNECTED"],
                    info.ShipList.OrderBy(s => s.PlayerId, StringComparer.Ordinal).Select(s => (IReadOnlyList<string>)[s.PlayerId, s.Name, Coord(s.X), Coord(s.Y), s.Connected ? "yes" : "no"]));
                var asteroids = string.Join(", ", info.AsteroidList.Select(a => $"{a.Id} ore {a.Ore}"));
                var text = $"{info.SectorId}: tick {info.Tick}, {info.Ships} ships ({info.ConnectedShips} connected, {info.PredictingPlayers} predicting motion), tick p99 {info.TickMillisP99:0.000} ms, time dilation {Dilation(info.TimeDilation)}, last chat #{info.LastChatId}; asteroids: {asteroids}";
                return OpsReply.Success(table, text, info);
            });
    }

    /// <summary>A sector id argument, or a usage error that says what sector ids look like.</summary>
    internal static string SectorArg(string id, WorldRules world) =>
        SectorId.IsValid(id, world) ? id : throw new OpsUsageException($"'{id}' is not a sector id; they are s-X-Y with X below {world.SectorsX} and Y below {world.SectorsY}");

    /// <summary>"100%" at full speed, "45%" when the game clock runs at 0.45 of real time.</summary>
    private static string Dilation(double factor) => (factor * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Coord(float v) => v.ToString("0.0", CultureInfo.InvariantCulture);
}
