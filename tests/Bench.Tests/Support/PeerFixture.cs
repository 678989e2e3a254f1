using AkkaGame.Bench.PeerCommon;
using AkkaGame.Game.Auth;
using AkkaGame.Protocol.Client;
using AkkaGame.TestSupport;
using Xunit;

namespace AkkaGame.Bench.Tests.Support;

/// <summary>
/// One peer started in-process on a free loopback port for a test class, with fast ships so
/// tests reach asteroids and gates within a few ticks, and a known secret so tests mint tokens.
/// </summary>
public abstract class PeerFixture : IAsyncLifetime, IServerUnderTest
{
    private const string Secret = "bench-tests-secret-0123456789abcdef";

    private IPeerServer? _server;

    public TokenService Tokens { get; } = TokenService.FromSecret(Secret);

    public string EndpointText { get; private set; } = string.Empty;

    /// <summary>What the running peer caught and logged as unexpected; tests require none.</summary>
    public FaultLog Faults => _server?.Faults ?? throw new InvalidOperationException("the peer is not started");

    /// <summary>Durable, as the benchmark runs the peers: a SQLite store in a fresh folder.</summary>
    public PeerSettings Settings { get; } = new()
    {
        Port = 0,
        StoreDirectory = Directory.CreateTempSubdirectory("akkagame-peer-tests-").FullName,
        AuthSecret = Secret,
        // 150 units per tick at 20 Hz: anywhere in a sector within a second.
        World = Game.Simulation.WorldRules.Default with { ShipSpeed = 3000 },
    };

    public async Task InitializeAsync()
    {
        _server = Create(Settings);
        var endpoint = await _server.StartAsync(CancellationToken.None);
        EndpointText = endpoint.ToString();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public GameClient NewClient(string? guestName = null, string? token = null, bool predictsMotion = false) => new(new GameClientOptions
    {
        Endpoints = [EndpointText],
        GuestName = guestName,
        Token = token,
        AutoReconnect = false,
        KeepInbox = true,
        PredictsMotion = predictsMotion,
    });

    public string Token(string playerId, string name) => Tokens.MintPlayerToken(playerId, name, TimeSpan.FromHours(1));

    /// <summary>A second server of the same kind and settings (its own store), for a test that stops it.</summary>
    public IPeerServer NewServer() => Create(Settings with { StoreDirectory = Directory.CreateTempSubdirectory("akkagame-peer-tests-").FullName });

    /// <summary>What the peer's store holds about <paramref name="playerId"/>, oldest first.</summary>
    public IReadOnlyList<(string Kind, string Data)> Stored(string playerId) =>
        PeerStore.ReadMatching(Path.Combine(Settings.StoreDirectory!, "peer.db"), playerId);

    protected abstract IPeerServer Create(PeerSettings settings);
}

public sealed class ThreadPerClientPeer : PeerFixture
{
    protected override IPeerServer Create(PeerSettings settings) => new ThreadPerClient.ThreadPerClientServer(settings);
}

public sealed class RawAsyncPeer : PeerFixture
{
    protected override IPeerServer Create(PeerSettings settings) => new RawAsync.RawAsyncServer(settings);
}

public sealed class OrleansPeer : PeerFixture
{
    protected override IPeerServer Create(PeerSettings settings) => new Orleans.OrleansPeerServer(settings);
}
