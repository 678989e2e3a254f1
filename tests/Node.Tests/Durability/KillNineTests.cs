using Akkagame.V1;
using AkkaGame.Game.Auth;
using AkkaGame.Node.Tests.Support;
using AkkaGame.Protocol.Client;
using AkkaGame.TestSupport;
using Xunit;
using static AkkaGame.TestSupport.ClientSteps;

namespace AkkaGame.Node.Tests.Durability;

/// <summary>
/// PROTOCOL.md Durability, proven with a real process and kill -9: every acknowledged credit
/// balance and every broadcast chat line survive; positions are at most one snapshot interval old.
/// </summary>
public class KillNineTests
{
    private static readonly TimeSpan SnapshotInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Acknowledged_credits_and_chat_survive_kill_9_and_positions_are_at_most_one_snapshot_old()
    {
        var dataDir = TestConfig.NewDataDir();
        var extra = Path.Combine(dataDir, "test.conf");
        await File.WriteAllTextAsync(extra, $"""
            akkagame.world.ship-speed = 4000
            akkagame.sector.snapshot-interval = {SnapshotInterval.TotalMilliseconds}ms
            """);
        var port = ManagedProcess.FreePort();
        string[] args = ["--game-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", dataDir, "--auth-secret", TestConfig.Secret, "--config", extra];
        var token = TokenService.FromSecret(TestConfig.Secret).MintPlayerToken("durable-1", "Durable", TimeSpan.FromHours(1));

        long lastBalance;
        var chatLines = new List<ChatLine>();
        (float X, float Y) parked;
        await using (var node = await StartNode(args))
        {
            await using var client = NewClient(port, token);
            var (_, snapshot) = await client.LoginAsync();
            var rock = snapshot.Asteroids[0];
            await client.FlyToAsync(rock.X + 10, rock.Y + 10);
            lastBalance = 0;
            for (var i = 0; i < 3; i++)
            {
                var reply = await MineWhenCooledDown(client, rock.Id);
                Assert.Equal(lastBalance + 10, reply.Credits.Balance);
                lastBalance = reply.Credits.Balance;
            }

            for (var i = 0; i < 3; i++)
            {
                chatLines.Add((await client.RequestAsync(Chat($"durable line {i}"))).Chat);
            }

            parked = (rock.X + 30, rock.Y + 30);
            await client.FlyToAsync(parked.X, parked.Y);

            // The protocol promises positions no older than one snapshot interval: let two pass
            // while connected, so the parked position must be in a snapshot.
            await Task.Delay(SnapshotInterval * 2.5);
            await node.KillAsync();
        }

        await using (await StartNode(args))
        {
            await using var client = NewClient(port, token);
            var (welcome, snapshot) = await client.LoginAsync();
            Assert.Equal(lastBalance, welcome.Credits);
            var recovered = snapshot.RecentChat.Where(c => c.FromPlayerId == "durable-1").ToList();
            Assert.Equal(chatLines.Select(c => (c.Id, c.Text)), recovered.Select(c => (c.Id, c.Text)));
            var ship = snapshot.Ships.Single(s => s.PlayerId == "durable-1");
            Assert.Equal(parked.X, ship.X, 1);
            Assert.Equal(parked.Y, ship.Y, 1);

            // And the balance keeps growing from the stored one, not from zero.
            var rock = snapshot.Asteroids[0];
            await client.FlyToAsync(rock.X + 10, rock.Y + 10);
            Assert.Equal(lastBalance + 10, (await MineWhenCooledDown(client, rock.Id)).Credits.Balance);
        }
    }

    private static Task<ManagedProcess> StartNode(string[] args) =>
        ManagedProcess.StartAsync("Node", "AkkaGame.Node.dll", "AkkaGame node ready", args, StartTimeout);

    private static GameClient NewClient(int port, string token) => new(new GameClientOptions
    {
        Endpoints = [$"127.0.0.1:{port}"],
        Token = token,
        AutoReconnect = false,
    });

    /// <summary>Mines, retrying while the server answers COOLDOWN (the one-per-second rule), bounded.</summary>
    private static async Task<ServerMessage> MineWhenCooledDown(GameClient client, string asteroidId)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var reply = await client.RequestAsync(Mine(asteroidId));
            if (reply.Credits is not null)
            {
                return reply;
            }

            reply.ExpectError(ErrorCode.Cooldown, fatal: false);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        throw new TimeoutException("mining stayed on cooldown");
    }
}
