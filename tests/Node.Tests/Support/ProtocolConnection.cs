using Akkagame.V1;

namespace AkkaGame.Node.Tests.Support;

/// <summary>
/// A bare connection speaking the protocol, over TCP (<see cref="RawConnection"/>) or WebSocket
/// (<see cref="WsConnection"/>): what the tests of bad input say the same way for both.
/// </summary>
public abstract class ProtocolConnection : IAsyncDisposable
{
    /// <summary>One message, framed as the transport frames it.</summary>
    public abstract Task SendAsync(ClientMessage message);

    /// <summary>The next server message matching the predicate (others are skipped); null when the server closed first.</summary>
    public abstract Task<ServerMessage?> TryReadAsync(Func<ServerMessage, bool> predicate, TimeSpan? timeout = null);

    public abstract ValueTask DisposeAsync();

    /// <summary>Pings every interval until cancelled (seq from 100000 up), so the connection is not idle while the test reads nothing from it.</summary>
    public async Task KeepAliveAsync(TimeSpan interval, CancellationToken cancel)
    {
        uint seq = 100_000;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancel))
            {
                await SendAsync(ClientMessages.Ping(seq++));
            }
        }
        catch (Exception e) when (e is OperationCanceledException || IsGone(e))
        {
            // Stopped by the test, or the server closed: the test's own reads report that.
        }
    }

    /// <summary>Logs in as a guest and reads Welcome and the sector snapshot.</summary>
    public async Task<(Welcome Welcome, SectorSnapshot Snapshot)> LoginAsGuestAsync(string name = "raw")
    {
        await SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, GuestName = name } });
        var welcome = await ReadAsync(m => m.Welcome is not null);
        var snapshot = await ReadAsync(m => m.Snapshot is not null);
        return (welcome.Welcome, snapshot.Snapshot);
    }

    public async Task<ServerMessage> ReadAsync(Func<ServerMessage, bool> predicate, TimeSpan? timeout = null) =>
        await TryReadAsync(predicate, timeout) ?? throw new IOException("the server closed the connection");

    /// <summary>Reads until the error arrives, checks it, then checks that the server closes the connection.</summary>
    public async Task<Error> ExpectFatalAsync(ErrorCode code, TimeSpan? timeout = null)
    {
        var error = (await ReadAsync(m => m.Error is not null, timeout)).Error;
        if (error.Code != code || !error.Fatal)
        {
            throw new InvalidOperationException($"expected fatal {code}, got {(error.Fatal ? "fatal" : "non-fatal")} {error.Code}: {error.Message}");
        }

        await ExpectClosedAsync();
        return error;
    }

    /// <summary>The server closes the connection (no further frames count as long as it closes).</summary>
    public async Task ExpectClosedAsync(TimeSpan? timeout = null)
    {
        if (await TryReadAsync(_ => false, timeout ?? TimeSpan.FromSeconds(10)) is not null)
        {
            throw new InvalidOperationException("unreachable: predicate accepts nothing");
        }
    }

    /// <summary>Whether a failed send means the server closed the connection.</summary>
    protected abstract bool IsGone(Exception e);
}

/// <summary>A misbehaving client's test, with a bystander on the same transport who must still play afterwards.</summary>
public static class Bystander
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static async Task StillPlaysAfterAsync(Func<Task<ProtocolConnection>> connect, Func<Task> misbehave)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(misbehave);
        await using var bystander = await connect();
        var (welcome, _) = await bystander.LoginAsGuestAsync("bystander");
        using (var stop = new CancellationTokenSource())
        {
            // A ping every 250 ms against the strict node's 2 s idle timeout: a test host busy for
            // a second or more (2 cores, other test classes starting their nodes) must not make
            // the bystander itself idle.
            var keepAlive = bystander.KeepAliveAsync(TimeSpan.FromMilliseconds(250), stop.Token);
            await misbehave();
            await stop.CancelAsync();
            await keepAlive;
        }

        await bystander.SendAsync(ClientMessages.Ping(2));
        var answer = await bystander.TryReadAsync(m => m.Error is not null || (m.Pong is not null && m.Ack == 2), Wait);
        if (answer?.Error is { } error)
        {
            throw new InvalidOperationException($"the bystander got {(error.Fatal ? "fatal" : "non-fatal")} {error.Code}: {error.Message}");
        }

        if (answer?.Pong is null)
        {
            throw new IOException("the server closed the bystander's connection without an error");
        }

        await bystander.SendAsync(new ClientMessage { Seq = 3, MoveTo = new MoveTo { X = 10, Y = 10 } });
        await bystander.ReadAsync(m => m.Delta?.Ships.Any(s => s.PlayerId == welcome.PlayerId && s.LastInputSeq == 3) == true, Wait);
    }
}
