using Akkagame.V1;
using AkkaGame.TestSupport;

namespace AkkaGame.Node.Tests.Support;

/// <summary>A TCP player who reads everything and chats long lines into a sector, to fill the queues of those who do not read.</summary>
public static class Talker
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Logs the talker into the sector and chats until <paramref name="done"/> or the bound;
    /// returns it still connected, the next seq it may use, and whether <paramref name="done"/> came true.
    /// </summary>
    public static async Task<(RawConnection Connection, uint NextSeq, bool Done)> ChatUntilAsync(NodeFixture fixture, string sector, Func<bool> done, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        ArgumentNullException.ThrowIfNull(done);
        var talker = await RawConnection.ConnectAsync(fixture.Endpoint);
        await talker.SendAsync(new ClientMessage { Seq = 1, Hello = new Hello { ProtocolVersion = 1, Token = fixture.Node.Tokens.MintPlayerToken(ClientSteps.PlayerInSector(sector), "Talker", TimeSpan.FromHours(1)) } });
        await talker.ReadAsync(m => m.Snapshot is not null, Wait);
        var line = new string('z', 200);
        var deadline = DateTime.UtcNow + bound;
        uint seq = 10;
        while (!done() && DateTime.UtcNow < deadline)
        {
            await talker.SendAsync(new ClientMessage { Seq = seq++, Chat = new Chat { Text = line } });
            await talker.ReadAsync(m => m.Chat is not null || m.Error is not null, Wait);
        }

        return (talker, seq, done());
    }
}
