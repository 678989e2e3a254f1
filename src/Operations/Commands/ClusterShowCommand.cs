using Akka.Actor;
using Akka.Cluster;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary><c>cluster show</c>: the members as this node sees them, with leader and oldest.</summary>
public static class ClusterShowCommand
{
    public static IOpsCommand Create() => new OpsCommand(
        "cluster show",
        string.Empty,
        "members with status, roles and reachability; which is leader and which is oldest",
        ctx =>
        {
            ctx.Args.Expect(0, 0);
            return Task.FromResult(Show(ctx.System));
        });

    public static OpsReply Show(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var oldest = Oldest(state.Members);
        var oldestByRole = state.AllRoles.Order(StringComparer.Ordinal)
            .Select(role => (Role: role, Member: Oldest(state.Members.Where(m => m.HasRole(role)))))
            .Where(r => r.Member is not null)
            .ToDictionary(r => r.Role, r => r.Member!.Address.ToString());

        var members = state.Members.Select(m =>
        {
            var notes = new List<string>();
            if (m.Address.Equals(state.Leader))
            {
                notes.Add("leader");
            }

            if (m.Equals(oldest))
            {
                notes.Add("oldest");
            }

            notes.AddRange(oldestByRole.Where(kv => kv.Value == m.Address.ToString()).Select(kv => $"oldest {kv.Key}"));
            if (m.Address.Equals(cluster.SelfAddress))
            {
                notes.Add("this node");
            }

            return new
            {
                address = m.Address.ToString(),
                status = m.Status.ToString(),
                roles = m.Roles.Order(StringComparer.Ordinal).ToList(),
                reachable = !unreachable.Contains(m.Address),
                notes,
            };
        }).ToList();

        var table = OpsTable.Of(
            ["ADDRESS", "STATUS", "ROLES", "REACHABILITY", "NOTES"],
            members.Select(m => (IReadOnlyList<string>)[m.address, m.status, string.Join(',', m.roles), m.reachable ? "reachable" : "UNREACHABLE", string.Join(", ", m.notes)]));
        var leader = state.Leader?.ToString() ?? "none";
        var text = $"{members.Count} members, {unreachable.Count} unreachable; leader {leader}; oldest {oldest?.Address.ToString() ?? "none"}";
        return OpsReply.Success(table, text, new
        {
            self = cluster.SelfAddress.ToString(),
            leader = state.Leader?.ToString(),
            oldest = oldest?.Address.ToString(),
            oldestByRole,
            unreachable = unreachable.Count,
            members,
        });
    }

    /// <summary>The oldest Up or Leaving member: the one that hosts cluster singletons such as the shard coordinator.</summary>
    private static Member? Oldest(IEnumerable<Member> members) =>
        members.Where(m => m.Status is MemberStatus.Up or MemberStatus.Leaving)
            .Aggregate((Member?)null, (oldest, m) => oldest is null || m.IsOlderThan(oldest) ? m : oldest);
}
