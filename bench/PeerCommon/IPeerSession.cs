namespace AkkaGame.Bench.PeerCommon;

/// <summary>What the session set asks of each session.</summary>
public interface IPeerSession
{
    /// <summary>Closes the session with IDLE_TIMEOUT when its hello or idle timeout has passed.</summary>
    void CheckTimeouts(long nowMs);

    /// <summary>Sends SHUTTING_DOWN_NOTICE as the last frame and closes.</summary>
    void ShutDown();
}
