using System.Buffers.Binary;
using Akkagame.V1;
using AkkaGame.Node.Tests.Support;
using AkkaGame.TestSupport;
using AkkaGame.Protocol.Framing;
using Xunit;

namespace AkkaGame.Node.Tests.Integration;

/// <summary>
/// PROTOCOL.md Behaviour 1, 2, 5, 6, 7, 8 and 12 over TCP (<see cref="BadInputContract"/>), with
/// frames cut as only raw TCP can cut them.
/// </summary>
public sealed class BadInputTests(StrictNode fixture) : BadInputContract(fixture), IClassFixture<StrictNode>
{
    protected override async Task<ProtocolConnection> Connect() => await RawConnection.ConnectAsync(Fixture.Endpoint);

    /// <summary>All in one TCP write: the server reads them as one chunk.</summary>
    protected override Task SendAtOnceAsync(ProtocolConnection c, IEnumerable<ClientMessage> messages) =>
        ((RawConnection)c).SendBytesAsync(messages.SelectMany(Frame.Encode).ToArray());

    protected override Task SendFrameBodyAsync(ProtocolConnection c, byte[] body)
    {
        var frame = new byte[Frame.HeaderBytes + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame, Frame.HeaderBytes);
        return ((RawConnection)c).SendBytesAsync(frame);
    }

    /// <summary>A header announcing one byte more than the limit: refused before the body is read.</summary>
    protected override Task SendOversizedAsync(ProtocolConnection c, int limit)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)limit + 1);
        return ((RawConnection)c).SendBytesAsync(header);
    }
}

/// <summary>
/// PROTOCOL.md Behaviour 12, slow consumers: on a node with a small outbound bound (16 KiB) and
/// small socket buffers, so the bound is reached in seconds. Alone (its collection is not run in
/// parallel with others): it measures the heap of this process, which other tests would move.
/// </summary>
[Collection(nameof(HeapMeasuringCollection))]
public class SlowConsumerTests(SlowConsumerNode fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<SlowConsumerNode>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Clients_that_stop_reading_are_aborted_and_leave_no_socket_behind()
    {
        // 24 victims that never read share a sector with a talker whose chat fills their queues.
        var (firstWelcome, sector) = await FirstVictimSectorAsync();
        var connectionsBefore = await SettledConnectionsAsync(expected: 0);

        // The control: 24 clients that log in the same way and hang up politely. What they leave
        // behind (their players in reconnect grace, their ships) is what any disconnect leaves.
        var heapBefore = SettledHeap();
        for (var i = 0; i < 24; i++)
        {
            await using var polite = await LogInAsync(sector, "Polite");
        }

        await SettledConnectionsAsync(expected: connectionsBefore);
        var heapAfterPolite = SettledHeap();
        var victims = new List<RawConnection>();
        var keepAlives = new List<Task>();
        using var stop = new CancellationTokenSource();
        try
        {
            for (var i = 0; i < 24; i++)
            {
                var victim = await LogInAsync(sector, "Victim");
                victims.Add(victim);
                keepAlives.Add(victim.KeepAliveAsync(TimeSpan.FromMilliseconds(500), stop.Token));
            }

            var ports = victims.Select(v => v.LocalPort).ToHashSet();
            var serverPort = fixture.Endpoint.Port;
            Assert.Equal(24, TcpTable.EstablishedTo(serverPort, ports));
            var heapWithVictims = SettledHeap();

            var (talker, seq, cutOff) = await Talker.ChatUntilAsync(fixture, sector, () => TcpTable.EstablishedTo(serverPort, ports) == 0, TimeSpan.FromSeconds(60));
            await using var talking = talker;
            var cutOffAt = DateTime.UtcNow;
            output.WriteLine($"talker sent {seq - 10} lines; established victim sockets now {TcpTable.EstablishedTo(serverPort, ports)}");

            // Every victim's connection is gone on the server's side, not just given up on.
            Assert.Equal(0, TcpTable.EstablishedTo(serverPort, ports));
            Assert.True(cutOff, "the victims were never cut off");

            // When a victim reads again it finds the connection ended (a reset, or its backlog then the end).
            await stop.CancelAsync();
            await Task.WhenAll(keepAlives);
            await victims[0].ExpectClosedAsync(Wait);

            // The talker, a reading client in the same sector, plays on.
            await talker.SendAsync(RawConnectionPing(seq));
            await talker.ReadAsync(m => m.Pong is not null, Wait);
            Assert.True(DateTime.UtcNow - cutOffAt < TimeSpan.FromSeconds(30));

            // Five seconds after the cut-off the victims left no more behind than the polite
            // clients did: no session (the node's connection count is back to where it was), and
            // no memory beyond the control's (players in grace). The clients' own objects are
            // released first, so the heap measures the node. A victim aborted but kept (its
            // session, stream stages and full 16 KiB queue) would hold what the connections cost
            // when the 24 victims were logged in.
            foreach (var victim in victims)
            {
                await victim.DisposeAsync();
            }

            victims.Clear();
            await talker.DisposeAsync();
            var sinceCutOff = DateTime.UtcNow - cutOffAt;
            if (sinceCutOff < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(TimeSpan.FromSeconds(5) - sinceCutOff);
            }

            var connectionsAfter = await SettledConnectionsAsync(expected: connectionsBefore);
            var heapAfter = SettledHeap();
            var politeResidue = heapAfterPolite - heapBefore;
            var victimResidue = heapAfter - heapAfterPolite;
            output.WriteLine($"managed heap: {heapBefore / 1024} KiB at first; {politeResidue / 1024} KiB more after 24 polite clients came and hung up; {(heapWithVictims - heapAfterPolite) / 1024} KiB more with the 24 victims logged in; {victimResidue / 1024} KiB more 5 s after they were cut off (with the talker's); node connections {connectionsBefore} before, {connectionsAfter} after");
            Assert.Equal(connectionsBefore, connectionsAfter);

            // What the 24 connections themselves cost (sessions, stream stages, buffers): the
            // victims' heap beyond what their players leave anyway. Kept connections would hold
            // all of it (and their full queues); allow a third, for the talker's player and chat
            // history and the shared buffer pools the traffic grew (about 340 KiB in our runs).
            var connectionsCost = heapWithVictims - heapAfterPolite - politeResidue;
            Assert.True(connectionsCost > 1024 * 1024, $"24 logged-in victims' connections should cost the heap well over 1 MiB ({connectionsCost / 1024} KiB), or this check cannot tell a leak");
            Assert.True(victimResidue - politeResidue < connectionsCost / 3, $"the aborted victims left {victimResidue / 1024} KiB behind, polite clients {politeResidue / 1024} KiB; the connections cost {connectionsCost / 1024} KiB");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var victim in victims)
            {
                await victim.DisposeAsync();
            }
        }
    }

    private static ClientMessage RawConnectionPing(uint seq) => ClientMessages.Ping(seq);

    /// <summary>A client that never reads again after its first snapshot, in the given sector.</summary>
    private async Task<RawConnection> LogInAsync(string sector, string name)
    {
        var client = await RawConnection.ConnectAsync(fixture.Endpoint, receiveBufferSize: 4096);
        await client.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = fixture.Node.Tokens.MintPlayerToken(ClientSteps.PlayerInSector(sector), name, TimeSpan.FromHours(1)) } });
        await client.ReadAsync(m => m.Snapshot is not null, Wait);
        return client;
    }

    /// <summary>The managed heap after full, compacting collections (the node runs in this process).</summary>
    private static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>The node's open connections, once closing ones have gone (at most a few seconds).</summary>
    private async Task<long> SettledConnectionsAsync(long expected)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (fixture.Node.Metrics.Connections != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return fixture.Node.Metrics.Connections;
    }

    private async Task<(Welcome Welcome, string Sector)> FirstVictimSectorAsync()
    {
        await using var probe = await RawConnection.ConnectAsync(fixture.Endpoint);
        var (welcome, _) = await probe.LoginAsGuestAsync("probe");
        return (welcome, welcome.SectorId);
    }
}

/// <summary>
/// Fatal frames arrive even at a client that keeps sending (PROTOCOL.md: a fatal error is the
/// last frame): the server closes only its write side and drains the client's input for the
/// close linger, so its close cannot reset the connection under the unread fatal frame.
/// </summary>
public class FloodingClientTests(StrictNode fixture) : IClassFixture<StrictNode>
{
    [Fact]
    public async Task A_thousand_pings_in_one_write_get_the_fatal_rate_limit_every_time()
    {
        var burst = Enumerable.Range(0, 1000).SelectMany(i => Frame.Encode(ClientMessages.Ping((uint)(i + 2)))).ToArray();
        for (var round = 0; round < 200; round++)
        {
            await using var client = await RawConnection.ConnectAsync(fixture.Endpoint);
            await client.LoginAsGuestAsync("flood");

            // The burst, and more bursts while the answer comes: the client is still sending when
            // the node decides to close, which is when a plain close would reset the fatal frame away.
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            var flood = FloodAsync(client, burst, stop.Token);
            var fatal = await client.TryReadAsync(m => m.Error is { Fatal: true }, TimeSpan.FromSeconds(10));
            await stop.CancelAsync();
            await flood;
            Assert.True(fatal is not null, $"round {round}: the connection ended without the fatal frame");
            Assert.Equal(ErrorCode.RateLimited, fatal!.Error.Code);
            await client.ExpectClosedAsync();
        }
    }

    /// <summary>Sends the burst again and again until the node closes or the time is up.</summary>
    private static async Task FloodAsync(RawConnection client, byte[] burst, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await client.SendBytesAsync(burst, stop);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The node closed (or reset) the connection, or the time is up: what the reads see is what is checked.
        }
    }

    [Fact]
    public async Task A_client_that_keeps_sending_after_its_fatal_error_still_reads_it_then_the_close()
    {
        await using var client = await RawConnection.ConnectAsync(fixture.Endpoint);
        await client.LoginAsGuestAsync("sender");

        // An invalid frame (garbage body), then more garbage while the server answers.
        await client.SendBytesAsync([0, 0, 0, 3, 0xff, 0xff, 0xff]);
        for (var i = 0; i < 20; i++)
        {
            await client.SendBytesAsync(Enumerable.Repeat((byte)0x42, 4096).ToArray());
        }

        await client.ExpectFatalAsync(ErrorCode.Malformed);
    }

    [Fact]
    public async Task Errors_quote_at_most_a_short_prefix_of_what_the_client_sent()
    {
        await using var client = await RawConnection.ConnectAsync(fixture.Endpoint);
        await client.LoginAsGuestAsync("long-ids");
        var huge = new string('a', 60_000);
        await client.SendAsync(new ClientMessage { Seq = 5, Mine = new Mine { AsteroidId = huge } });
        var mine = await client.ReadAsync(m => m.Error is not null && m.Ack == 5);
        await client.SendAsync(new ClientMessage { Seq = 6, Jump = new Jump { GateId = "\u0001\n" + huge } });
        var jump = await client.ReadAsync(m => m.Error is not null && m.Ack == 6);

        foreach (var error in new[] { mine.Error, jump.Error })
        {
            Assert.Equal(ErrorCode.UnknownTarget, error.Code);
            Assert.True(error.Message.Length < 100, $"{error.Message.Length} characters: {error.Message[..Math.Min(80, error.Message.Length)]}");
            Assert.DoesNotContain(error.Message, char.IsControl);
        }
    }
}

public class LoginOverloadTests(OverloadedNode fixture) : IClassFixture<OverloadedNode>
{
    [Fact]
    public async Task A_login_that_cannot_be_served_in_time_is_told_server_busy_with_a_retry_hint()
    {
        await using var client = await RawConnection.ConnectAsync(fixture.Endpoint);
        await client.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, GuestName = "late" } });
        var error = await client.ExpectFatalAsync(ErrorCode.ServerBusy);
        Assert.Contains("retry", error.Message, StringComparison.Ordinal);
    }
}

public class GuestsRefusedTests(NoGuestsNode fixture) : IClassFixture<NoGuestsNode>
{
    [Fact]
    public async Task Guest_login_is_not_authenticated_when_guests_are_off_but_tokens_work()
    {
        await using (var guest = await RawConnection.ConnectAsync(fixture.Endpoint))
        {
            await guest.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, GuestName = "guest" } });
            await guest.ExpectFatalAsync(ErrorCode.NotAuthenticated);
        }

        await using var player = await RawConnection.ConnectAsync(fixture.Endpoint);
        await player.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = fixture.Node.Tokens.MintPlayerToken("member", "Member", TimeSpan.FromHours(1)) } });
        Assert.Equal("member", (await player.ReadAsync(m => m.Welcome is not null)).Welcome.PlayerId);
    }
}

/// <summary>Tests that measure this process's heap run on their own, after the parallel ones.</summary>
[CollectionDefinition(nameof(HeapMeasuringCollection), DisableParallelization = true)]
public sealed class HeapMeasuringCollection;
