using System.Security.Cryptography;

namespace AkkaGame.Node.Auth;

/// <summary>
/// Where the HMAC secret comes from: the configured one, or for a single node without one, a
/// random secret kept in &lt;data-dir&gt;/auth.secret so tokens survive restarts.
/// </summary>
public static class AuthSecret
{
    public const string FileName = "auth.secret";

    public static string Resolve(string? configured, string dataDir)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        Directory.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return secret;
    }
}
