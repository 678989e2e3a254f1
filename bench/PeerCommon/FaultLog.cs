namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// Unexpected exceptions a peer caught to keep serving (a failed sector command, a connection
/// that broke in an unforeseen way): written to stderr and counted, so tests can require none.
/// </summary>
public sealed class FaultLog(string peerName)
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Report(string where, Exception error)
    {
        Interlocked.Increment(ref _count);
        Console.Error.WriteLine($"{peerName}: {where}: {error}");
    }
}
