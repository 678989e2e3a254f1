namespace AkkaGame.Bench.PeerCommon;

/// <summary>Where a sector sends frames for one player's connection.</summary>
public interface IFrameSink
{
    /// <summary>Tells two connections of the same player apart.</summary>
    string ConnectionId { get; }

    /// <summary>The client moves ships by their velocity between deltas (Hello.predicts_motion): its deltas leave out ships that only flew on.</summary>
    bool PredictsMotion { get; }

    /// <summary>Queues a frame for the client; never blocks on the network unless the host is built to.</summary>
    void Deliver(byte[] frame);
}
