using Akka.Actor;
using Akka.Cluster;

namespace AkkaGame.Operations.Commands;

/// <summary>Reads the ADDRESS argument of cluster commands: a full address, or host:port of this cluster.</summary>
public static class ClusterAddresses
{
    public static Address Parse(ActorSystem system, string text)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return Address.TryParse(text, out var address) && address.Host is not null && address.Port is not null
                ? address
                : throw new OpsUsageException($"'{text}' is not a cluster address like akka.tcp://{system.Name}@127.0.0.1:4053");
        }

        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new OpsUsageException($"'{text}' is neither a cluster address (akka.tcp://{system.Name}@host:port) nor host:port");
        }

        var self = Cluster.Get(system).SelfAddress;
        return new Address(self.Protocol, system.Name, text[..colon].Trim('[', ']'), port);
    }

    /// <summary>The member at this address, or null; normalizes local-scope addresses to this node's.</summary>
    public static Member? FindMember(ActorSystem system, Address address)
    {
        ArgumentNullException.ThrowIfNull(system);
        return Cluster.Get(system).State.Members.FirstOrDefault(m => m.Address.Equals(Normalize(system, address)));
    }

    /// <summary>Akka reports this node's own actors with a local address (no host): show the real one.</summary>
    public static Address Normalize(ActorSystem system, Address address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.HasLocalScope ? Cluster.Get(system).SelfAddress : address;
    }
}
