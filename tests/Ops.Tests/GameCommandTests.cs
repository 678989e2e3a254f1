using Akka.Event;
using Akkagame.V1;
using AkkaGame.Game.Auth;
using AkkaGame.Node.Sectors;
using AkkaGame.Ops.Tests.Support;
using Xunit;

namespace AkkaGame.Ops.Tests;

/// <summary>The game palette against a two-node cluster in this process, with real clients over TCP.</summary>
[Collection(TwoNodesCollection.Name)]
public class GameCommandTests(TwoNodes nodes)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string NewPlayer() => "p-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Game_players_lists_this_nodes_players_with_name_and_sector()
    {
        var id = NewPlayer();
        await using var client = TestCluster.NewClient(nodes.A, id, "Ann");
        var welcome = await client.ConnectAsync();

        var json = await Cli.JsonAsync(nodes.OpsA, "game", "players");
        var me = Assert.Single(json["players"]!.AsArray(), p => (string?)p!["player"] == id)!;
        Assert.Equal("Ann", (string?)me["name"]);
        Assert.Equal(welcome.SectorId, (string?)me["sector"]);
        Assert.Equal("Playing", (string?)me["phase"]);
        Assert.NotNull((string?)me["connection"]);
        Assert.True((int)json["notLoggedIn"]! >= 0);

        // Connected to A, so B does not list it.
        var onB = await Cli.JsonAsync(nodes.OpsB, "game", "players");
        Assert.DoesNotContain(onB["players"]!.AsArray(), p => (string?)p!["player"] == id);

        var table = await Cli.OkAsync(nodes.OpsA, "game", "players");
        Assert.Matches(@"^PLAYER\s+NAME\s+SECTOR\s+CONNECTED\s+CONNECTION", table.Output);
        Assert.Contains(table.Output.Split('\n'), l => l.StartsWith(id, StringComparison.Ordinal) && l.Contains("Ann", StringComparison.Ordinal) && l.Contains(welcome.SectorId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Game_sectors_and_game_sector_show_the_running_sector_and_its_ship()
    {
        var id = NewPlayer();
        await using var client = TestCluster.NewClient(nodes.B, id, "Bea", predictsMotion: true);
        var welcome = await client.ConnectAsync();
        await client.NextAsync(m => m.Snapshot is not null, Wait);

        var sectors = await Cli.JsonAsync(nodes.OpsA, "game", "sectors");
        var row = Assert.Single(sectors["sectors"]!.AsArray(), s => (string?)s!["sector"] == welcome.SectorId)!;
        Assert.Contains((string?)row["node"], new[] { TestCluster.AddressOf(nodes.A), TestCluster.AddressOf(nodes.B) });
        Assert.True((int)row["players"]! >= 1);
        Assert.True((int)row["ships"]! >= 1);
        Assert.True((double)row["tickP99Ms"]! >= 0);
        Assert.InRange((double)row["timeDilation"]!, 0.1, 1.0);
        Assert.True((int)row["predictingPlayers"]! >= 1, "Bea's client predicts motion");
        Assert.Empty(sectors["silentNodes"]!.AsArray());

        var sector = await Cli.JsonAsync(nodes.OpsB, "game", "sector", welcome.SectorId);
        Assert.Equal(welcome.SectorId, (string?)sector["sectorId"]);
        var ship = Assert.Single(sector["shipList"]!.AsArray(), s => (string?)s!["playerId"] == id)!;
        Assert.Equal("Bea", (string?)ship["name"]);
        Assert.True((bool)ship["connected"]!);
        Assert.Equal(5, sector["asteroidList"]!.AsArray().Count);

        var table = await Cli.OkAsync(nodes.OpsA, "game", "sectors");
        Assert.Matches(@"^SECTOR\s+NODE\s+SHIPS\s+PLAYERS\s+TICK P99 MS\s+DILATION\s+TICK\s+PREDICTING", table.Output);
        Assert.Matches(@"\s\d{2,3}%\s", table.Output);
        var text = await Cli.OkAsync(nodes.OpsA, "game", "sector", welcome.SectorId);
        Assert.Contains($"{welcome.SectorId}: tick ", text.Output, StringComparison.Ordinal);
        Assert.Matches(@"time dilation \d{2,3}%", text.Output);
        Assert.Matches(@"connected, [1-9]\d* predicting motion\)", text.Output);

        var bad = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "game", "sector", "s-99-0");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("'s-99-0' is not a sector id", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Game_kick_closes_that_players_connection_with_a_clear_fatal_error()
    {
        var id = NewPlayer();
        await using var kicked = TestCluster.NewClient(nodes.A, id, "Kim");
        await kicked.ConnectAsync();
        await using var bystander = TestCluster.NewClient(nodes.A, NewPlayer(), "Bystander");
        await bystander.ConnectAsync();

        // From the other node's endpoint: the player entity finds the session wherever it is.
        var json = await Cli.JsonAsync(nodes.OpsB, "game", "kick", id, "griefing", "in", "chat");
        Assert.Equal(id, (string?)json["player"]);
        Assert.Equal("griefing in chat", (string?)json["reason"]);
        Assert.Contains("/user/gateway/session-", (string?)json["session"], StringComparison.Ordinal);

        var error = (await kicked.NextAsync(m => m.Error is not null, Wait)).Error;
        Assert.Equal(ErrorCode.SessionReplaced, error.Code);
        Assert.True(error.Fatal);
        Assert.Equal("kicked by an operator: griefing in chat", error.Message);
        await Eventually.AwaitAssertAsync(() => Assert.False(kicked.IsConnected), Wait);

        Assert.True(bystander.IsConnected);
        var pong = await bystander.RequestAsync(new ClientMessage { Ping = new Ping { ClientTimeUs = 1 } }, Wait);
        Assert.NotNull(pong.Pong);

        // Nobody left to kick: a failure, exit 1.
        await Eventually.AwaitAssertAsync(async () =>
        {
            var again = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "game", "kick", id);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains($"player {id} has no live session", again.Error, StringComparison.Ordinal);
        }, Wait);
    }

    [Fact]
    public async Task Game_announce_reaches_players_on_every_game_node()
    {
        await using var onA = TestCluster.NewClient(nodes.A, NewPlayer());
        await onA.ConnectAsync();
        await using var onB = TestCluster.NewClient(nodes.B, NewPlayer());
        await onB.ConnectAsync();

        var text = "maintenance in 10 minutes " + Guid.NewGuid().ToString("N")[..6];
        var json = await Cli.JsonAsync(nodes.OpsA, "game", "announce", text);
        Assert.Equal(text, (string?)json["text"]);
        Assert.Equal(2, json["nodes"]!.AsArray().Count);

        foreach (var client in new[] { onA, onB })
        {
            var notice = (await client.NextAsync(m => m.Notice?.Text == text, Wait)).Notice;
            Assert.Equal(NoticeKind.Announcement, notice.Kind);
        }

        var tooLong = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "game", "announce", new string('x', 501));
        Assert.Equal(2, tooLong.ExitCode);
        var empty = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "game", "announce");
        Assert.Equal(2, empty.ExitCode);
    }

    [Fact]
    public async Task Game_token_mint_prints_a_token_the_nodes_accept()
    {
        var id = NewPlayer();
        var plain = await Cli.OkAsync(nodes.OpsB, "game", "token", "mint", id, "Tok", "--ttl", "1h");
        var token = plain.Output.Trim();
        var claims = nodes.A.Tokens.Verify(token, TokenService.PlayerKind);
        Assert.NotNull(claims);
        Assert.Equal(id, claims.PlayerId);
        Assert.Equal("Tok", claims.Name);
        Assert.InRange(claims.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(58), DateTimeOffset.UtcNow.AddMinutes(61));

        var json = await Cli.JsonAsync(nodes.OpsA, "game", "token", "mint", id, "Tok");
        Assert.Equal(id, (string?)json["player"]);
        Assert.Equal("Tok", (string?)json["name"]);
        Assert.NotNull(nodes.B.Tokens.Verify((string?)json["token"], TokenService.PlayerKind));
        Assert.True(DateTimeOffset.Parse((string)json["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddHours(23));

        // A minted token logs that player in.
        await using var client = new AkkaGame.Protocol.Client.GameClient(new AkkaGame.Protocol.Client.GameClientOptions
        {
            Endpoints = [$"127.0.0.1:{nodes.A.GameEndpoint.Port}"],
            Token = token,
            AutoReconnect = false,
        });
        Assert.Equal(id, (await client.ConnectAsync()).PlayerId);

        var badTtl = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "game", "token", "mint", id, "Tok", "--ttl", "soon");
        Assert.Equal(2, badTtl.ExitCode);
        var badName = await Cli.RunAsync($"127.0.0.1:{nodes.OpsA.Port}", "game", "token", "mint", id, new string('n', 40));
        Assert.Equal(2, badName.ExitCode);
    }

    [Fact]
    public async Task Game_stats_reports_rates_ticks_rejections_and_persistence_failures()
    {
        await using var client = TestCluster.NewClient(nodes.A, NewPlayer());
        await client.ConnectAsync();
        await client.NextAsync(m => m.Snapshot is not null, Wait);

        var before = await Cli.JsonAsync(nodes.OpsA, "game", "stats");
        string[] fields =
        [
            "node", "connections", "connectionsAccepted", "messagesInPerSecond", "messagesOutPerSecond", "bytesInPerSecond",
            "bytesOutPerSecond", "rateWindowSeconds", "sectors", "tickP99Ms", "messagesIn", "messagesOut",
            "rejectedMessages", "fatalErrors", "persistenceFailures",
        ];
        Assert.Equal(fields.Order(StringComparer.Ordinal), before.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal));
        Assert.True((long)before["connections"]! >= 1);
        Assert.True((int)before["sectors"]! >= 1);
        Assert.True((double)before["rateWindowSeconds"]! >= 1);

        // The client's pings and the sector's deltas flow, so the rates are not zero.
        Assert.True((double)before["messagesInPerSecond"]! + (double)before["messagesOutPerSecond"]! > 0);

        // What the entities count in their persistence callbacks is what game stats shows (the
        // callbacks themselves: PlayerActorTests); a warning in the log is not a failure.
        var failures = (long)before["persistenceFailures"]!;
        nodes.A.System.EventStream.Publish(new Warning("akka://akkagame/system/sharding/sector/1/s-0-0", typeof(SectorActor), "Sector s-0-0: snapshot failed"));
        Node.Persistence.PersistenceFailures.Get(nodes.A.System).Record();
        await Eventually.AwaitAssertAsync(async () =>
        {
            var after = await Cli.JsonAsync(nodes.OpsA, "game", "stats");
            Assert.Equal(failures + 1, (long)after["persistenceFailures"]!);
        }, Wait);

        var table = await Cli.OkAsync(nodes.OpsA, "game", "stats");
        Assert.Matches(@"^METRIC\s+VALUE", table.Output);
        Assert.Contains("persistence failures (total)", table.Output, StringComparison.Ordinal);
    }
}
