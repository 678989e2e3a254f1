using Akka.Actor;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Configuration;
using AkkaGame.Node.Hosting;

namespace AkkaGame.Node.Sessions;

/// <summary>What every session of a node shares: settings, tokens and the entity regions.</summary>
public sealed record SessionContext(
    GameSettings Settings,
    TokenService Tokens,
    IActorRef Sectors,
    IActorRef Players,
    string NodeName,
    GatewayMetrics Metrics);
