using AkkaGame.Protocol;
using System.Globalization;
using AkkaGame.Game.Auth;
using AkkaGame.Node.Auth;
using AkkaGame.Node.Hosting;

namespace AkkaGame.Node;

/// <summary>
/// "token mint PLAYER NAME": prints a signed player token. Uses the same secret the node uses:
/// --auth-secret / AKKAGAME_AUTH_SECRET, else the one generated in the data directory.
/// </summary>
public static class TokenCommand
{
    public static int Mint(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var positional = new List<string>();
        var ttl = TimeSpan.FromHours(24);
        string? secret = Environment.GetEnvironmentVariable(NodeOptions.EnvironmentName("auth-secret"));
        var dataDir = Environment.GetEnvironmentVariable(NodeOptions.EnvironmentName("data-dir")) ?? NodeConfig.DefaultDataDir;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--ttl" when i + 1 < args.Count:
                    ttl = Durations.Parse(args[++i]);
                    break;
                case "--auth-secret" when i + 1 < args.Count:
                    secret = args[++i];
                    break;
                case "--data-dir" when i + 1 < args.Count:
                    dataDir = args[++i];
                    break;
                default:
                    positional.Add(args[i]);
                    break;
            }
        }

        if (positional.Count != 2)
        {
            throw new ArgumentException("token mint needs PLAYER and NAME");
        }

        if (!AkkaGame.Game.Simulation.NameRules.IsValid(positional[1]))
        {
            throw new ArgumentException($"NAME must be 1 to {AkkaGame.Game.Simulation.NameRules.MaxLength} printable characters");
        }

        var tokens = TokenService.FromSecret(AuthSecret.Resolve(secret, dataDir));
        Console.WriteLine(tokens.MintPlayerToken(positional[0], positional[1], ttl));
        return 0;
    }
}
