using AkkaGame.Operations.Protocol;

namespace AkkaGame.Ops.Tests.Support;

public static class Replies
{
    /// <summary>The one reply of a non-streaming command (named apart from LINQ's SingleAsync, which two assemblies here define).</summary>
    public static async Task<OpsReply> OnlyReplyAsync(this IAsyncEnumerable<OpsReply> replies)
    {
        ArgumentNullException.ThrowIfNull(replies);
        var all = new List<OpsReply>();
        await foreach (var reply in replies)
        {
            all.Add(reply);
        }

        return Xunit.Assert.Single(all);
    }
}
