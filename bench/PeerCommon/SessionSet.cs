using System.Collections.Concurrent;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// The live sessions of a peer: one timer checks every session's timeouts (instead of a timer per
/// connection), and a graceful stop reaches all of them.
/// </summary>
public sealed class SessionSet : IAsyncDisposable
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<IPeerSession, byte> _sessions = new();
    private readonly PeriodicTimer _timer = new(CheckEvery);
    private readonly Task _checking;

    public SessionSet()
    {
        _checking = CheckLoopAsync();
    }

    public int Count => _sessions.Count;

    public void Add(IPeerSession session) => _sessions.TryAdd(session, 0);

    public void Remove(IPeerSession session) => _sessions.TryRemove(session, out _);

    /// <summary>Tells every session to go, then waits (at most <paramref name="bound"/>) for them to close.</summary>
    public async Task ShutDownAllAsync(TimeSpan bound)
    {
        foreach (var session in _sessions.Keys)
        {
            session.ShutDown();
        }

        var deadline = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        while (!_sessions.IsEmpty && Environment.TickCount64 < deadline)
        {
            await Task.Delay(CheckEvery);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _timer.Dispose();
        await _checking;
    }

    private async Task CheckLoopAsync()
    {
        while (await _timer.WaitForNextTickAsync())
        {
            var now = Environment.TickCount64;
            foreach (var session in _sessions.Keys)
            {
                session.CheckTimeouts(now);
            }
        }
    }
}
