using Orleans;
using Orleans.Concurrency;

namespace AkkaGame.Bench.Orleans.Grains;

/// <summary>
/// A client connection as grains see it: the gateway's session registers itself as an observer
/// and sectors and players push frames to it. One-way: a grain never waits for a client.
/// </summary>
[Alias("akkagame.bench.ISessionObserver")]
public interface ISessionObserver : IGrainObserver
{
    /// <summary>A frame for the client: a snapshot, a delta, a chat line.</summary>
    [OneWay]
    [Alias("Deliver")]
    Task Deliver(Immutable<byte[]> frame);

    /// <summary>The player logged in on another connection: close this one with SESSION_REPLACED.</summary>
    [OneWay]
    [Alias("Replaced")]
    Task Replaced();
}
