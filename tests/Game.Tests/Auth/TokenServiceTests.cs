using System.Text;
using AkkaGame.Game.Auth;
using Xunit;

namespace AkkaGame.Game.Tests.Auth;

public class TokenServiceTests
{
    private static readonly TokenService Tokens = TokenService.FromSecret("a-test-secret-of-enough-length");

    [Fact]
    public void Minted_token_verifies_with_its_claims()
    {
        var token = Tokens.MintPlayerToken("p-1", "Ann Örn", TimeSpan.FromHours(1));
        var claims = Tokens.Verify(token, TokenService.PlayerKind);
        Assert.NotNull(claims);
        Assert.Equal("p-1", claims.PlayerId);
        Assert.Equal("Ann Örn", claims.Name);
    }

    [Fact]
    public void Token_signed_with_another_secret_is_refused()
    {
        var other = TokenService.FromSecret("another-secret-of-enough-length");
        Assert.Null(Tokens.Verify(other.MintPlayerToken("p-1", "Ann", TimeSpan.FromHours(1)), TokenService.PlayerKind));
    }

    [Fact]
    public void Tampered_token_is_refused()
    {
        var token = Tokens.MintPlayerToken("p-1", "Ann", TimeSpan.FromHours(1));
        var parts = token.Split('.');
        parts[2] = Convert.ToBase64String(Encoding.UTF8.GetBytes("p-2")).TrimEnd('=');
        Assert.Null(Tokens.Verify(string.Join('.', parts), TokenService.PlayerKind));
    }

    [Fact]
    public void Expired_token_is_refused()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var tokens = new TokenService(Encoding.UTF8.GetBytes("a-test-secret-of-enough-length"), clock);
        var token = tokens.MintPlayerToken("p-1", "Ann", TimeSpan.FromMinutes(1));
        Assert.NotNull(tokens.Verify(token, TokenService.PlayerKind));
        clock.Now = clock.Now.AddMinutes(2);
        Assert.Null(tokens.Verify(token, TokenService.PlayerKind));
    }

    [Fact]
    public void Resume_token_is_not_a_login_token()
    {
        var resume = Tokens.MintResumeToken("p-1", "Ann", TimeSpan.FromHours(1));
        Assert.Null(Tokens.Verify(resume, TokenService.PlayerKind));
        Assert.NotNull(Tokens.Verify(resume, TokenService.ResumeKind));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("v1.p.!!.!!.!!.!!")]
    public void Garbage_is_refused(string token) => Assert.Null(Tokens.Verify(token, TokenService.PlayerKind));

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
