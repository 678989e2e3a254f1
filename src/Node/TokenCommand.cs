using System.CommandLine;
using AkkaGame.CommandLine;
using AkkaGame.Game.Auth;
using AkkaGame.Game.Simulation;
using AkkaGame.Node.Auth;
using AkkaGame.Node.Hosting;

namespace AkkaGame.Node;

/// <summary>
/// "token mint PLAYER NAME": prints a signed player token. Uses the same secret the node uses:
/// --auth-secret / AKKAGAME_AUTH_SECRET, else the one generated in the data directory.
/// </summary>
public static class TokenCommand
{
    public static Command Create(Func<string, string?> environment)
    {
        var options = new Options(environment);
        var player = new Argument<string>("PLAYER") { Description = "the player id the token names" };
        var name = new Argument<string>("NAME") { Description = $"the display name (1 to {NameRules.MaxLength} printable characters)" };
        var ttl = options.Duration("ttl", "how long the token is valid", TimeSpan.FromHours(24));
        var secret = options.Secret("auth-secret", "HMAC-SHA256 secret; default: the one generated in --data-dir", NodeOptions.EnvironmentName("auth-secret"));
        var dataDir = options.Text("data-dir", "where the node generated its secret", NodeOptions.EnvironmentName("data-dir"), NodeConfig.DefaultDataDir);
        name.Validators.Add(result =>
        {
            if (!NameRules.IsValid(result.GetValueOrDefault<string>()))
            {
                result.AddError($"NAME must be 1 to {NameRules.MaxLength} printable characters");
            }
        });

        var mint = new Command("mint", "print a signed player token") { player, name, ttl, secret, dataDir };
        mint.SetAction(parsed =>
        {
            var tokens = TokenService.FromSecret(AuthSecret.Resolve(options.SecretValue(parsed, secret), parsed.GetValue(dataDir)!));
            Console.WriteLine(tokens.MintPlayerToken(parsed.GetRequiredValue(player), parsed.GetRequiredValue(name), parsed.GetValue(ttl)));
            return 0;
        });
        return new Command("token", "player tokens") { mint };
    }
}
