using AkkaGame.Bench.PeerCommon;
using Orleans.Concurrency;

namespace AkkaGame.Bench.Orleans.Grains;

/// <summary>A session observer as a sector room's frame sink: each frame is one one-way call.</summary>
internal sealed class ObserverSink(string connectionId, bool predictsMotion, ISessionObserver observer) : IFrameSink
{
    public string ConnectionId { get; } = connectionId;

    public bool PredictsMotion { get; } = predictsMotion;

    // One-way: the task is complete once the message is queued; nothing to await.
    public void Deliver(byte[] frame) => _ = observer.Deliver(frame.AsImmutable());
}
