using Akkagame.V1;
using ErrorCode = Akkagame.V1.ErrorCode;
using AkkaGame.Game.Simulation;
using AkkaGame.Protocol.Client;

namespace AkkaGame.TestSupport;

/// <summary>Game steps the flow tests repeat: log in, fly and wait to arrive, request and expect.</summary>
public static class ClientSteps
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static async Task<(Welcome Welcome, SectorSnapshot Snapshot)> LoginAsync(this GameClient client)
    {
        var welcome = await client.ConnectAsync();
        var snapshot = (await client.NextAsync(m => m.Snapshot is not null, Wait)).Snapshot;
        return (welcome, snapshot);
    }

    /// <summary>Flies the client's ship to (x, y) and waits until a delta shows it there.</summary>
    public static async Task FlyToAsync(this GameClient client, float x, float y)
    {
        var me = client.Welcome!.PlayerId;
        var seq = await client.SendMoveToAsync(x, y);
        await client.NextAsync(
            m => m.Delta?.Ships.Any(s => s.PlayerId == me && s.LastInputSeq >= seq && Math.Abs(s.X - x) < 0.5f && Math.Abs(s.Y - y) < 0.5f) == true,
            Wait);
    }

    public static Task<ServerMessage> RequestAsync(this GameClient client, ClientMessage message) => client.RequestAsync(message, Wait);

    public static ClientMessage Mine(string asteroidId) => new() { Mine = new Mine { AsteroidId = asteroidId } };

    public static ClientMessage Jump(string gateId) => new() { Jump = new Jump { GateId = gateId } };

    public static ClientMessage Chat(string text) => new() { Chat = new Chat { Text = text } };

    public static ClientMessage Move(float x, float y) => new() { MoveTo = new MoveTo { X = x, Y = y } };

    public static ClientMessage Ping(long clientTimeUs) => new() { Ping = new Ping { ClientTimeUs = clientTimeUs } };

    public static Error ExpectError(this ServerMessage message, ErrorCode code, bool fatal)
    {
        if (message.Error is not { } error || error.Code != code || error.Fatal != fatal)
        {
            throw new InvalidOperationException($"expected {(fatal ? "fatal" : "non-fatal")} {code}, got {message}");
        }

        return error;
    }

    /// <summary>A player id whose home sector is <paramref name="sectorId"/>, so two test players meet.</summary>
    public static string PlayerInSector(string sectorId)
    {
        for (var i = 0; i < 100_000; i++)
        {
            var candidate = $"mate-{Guid.NewGuid():N}";
            if (SectorId.HomeOf(candidate, WorldRules.Default) == sectorId)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no player id found for " + sectorId);
    }

    public static string NewName() => "p" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Completes when the client's connection ends.</summary>
    public static Task Closed(this GameClient client)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Disconnected += _ => closed.TrySetResult();
        return closed.Task;
    }
}
