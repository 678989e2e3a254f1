using System.Net;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>A peer: a game server around the shared simulation core, differing only in how it is hosted.</summary>
public interface IPeerServer : IAsyncDisposable
{
    /// <summary>The name in the ready line and the benchmark tables ("raw-async").</summary>
    string Name { get; }

    /// <summary>Unexpected exceptions caught while serving; a correct run has none.</summary>
    FaultLog Faults { get; }

    /// <summary>Starts listening; returns the bound loopback endpoint (the real port when 0 was asked).</summary>
    Task<IPEndPoint> StartAsync(CancellationToken ct);

    /// <summary>
    /// Graceful stop: stops accepting, tells every client SHUTTING_DOWN_NOTICE, closes their
    /// connections (bounded by the close linger) and stops the simulation.
    /// </summary>
    Task StopAsync();
}
