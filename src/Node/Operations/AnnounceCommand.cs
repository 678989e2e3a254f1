using Akka.Actor;
using Akka.Cluster;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Sessions;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Node.Operations;

/// <summary>
/// <c>game announce TEXT</c>: Notice{ANNOUNCEMENT} to every connected player in the cluster. Told
/// to each game node's gateway by path, which needs nothing running beyond what every node has.
/// </summary>
public static class AnnounceCommand
{
    /// <summary>One screen line or two for a client; longer is a mistake, not an announcement.</summary>
    public const int MaxLength = 500;

    public static IOpsCommand Create() => new OpsCommand(
        "game announce",
        "TEXT...",
        "sends TEXT to every connected player on every game node",
        ctx =>
        {
            var text = ctx.Args.Text(0);
            if (text.Length > MaxLength)
            {
                throw new OpsUsageException($"announcements are at most {MaxLength} characters, this one has {text.Length}");
            }

            var nodes = Cluster.Get(ctx.System).State.Members
                .Where(m => m.HasRole(GameNode.GameRole) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving)
                .Select(m => m.Address)
                .ToList();
            foreach (var address in nodes)
            {
                ctx.System.ActorSelection(new RootActorPath(address) / "user" / "gateway").Tell(new Announce(text));
            }

            return Task.FromResult(OpsReply.Success(
                text: $"announced to the players of {nodes.Count} game nodes",
                data: new { text, nodes = nodes.Select(a => a.ToString()).ToList() }));
        });
}
