namespace AkkaGame.Bench.PeerCommon;

/// <summary>What an async connection tells its session.</summary>
public interface IFrameHandler
{
    /// <summary>One frame body, in arrival order; the next is read only after this completes.</summary>
    ValueTask OnFrameAsync(byte[] frame);

    /// <summary>A header announced a bad length; nothing after it is read.</summary>
    void OnBadLength(long length);

    /// <summary>The connection is over (either side closed it); runs once, last.</summary>
    void OnClosed();
}
