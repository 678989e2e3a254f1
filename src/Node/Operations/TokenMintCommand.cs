using AkkaGame.Game.Auth;
using AkkaGame.Game.Simulation;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Node.Operations;

/// <summary><c>game token mint PLAYER NAME [--ttl 24h]</c>: a player token signed with this node's secret.</summary>
public static class TokenMintCommand
{
    public static IOpsCommand Create(TokenService tokens) => new OpsCommand(
        "game token mint",
        "PLAYER NAME [--ttl 24h]",
        "prints a signed login token for PLAYER with display NAME (ttl like 500ms, 90s, 30m, 24h, 7d)",
        ctx =>
        {
            ctx.Args.Expect(2, 2);
            var player = ctx.Args.Required(0);
            var name = ctx.Args.Required(1);
            if (!NameRules.IsValid(name))
            {
                throw new OpsUsageException($"NAME must be 1 to {NameRules.MaxLength} printable characters");
            }

            var ttl = ctx.Args.DurationOption("ttl", TimeSpan.FromHours(24));
            var token = tokens.MintPlayerToken(player, name, ttl);
            return Task.FromResult(OpsReply.Success(
                text: token,
                data: new { player, name, expiresAt = DateTimeOffset.UtcNow.Add(ttl), token }));
        },
        "ttl");
}
