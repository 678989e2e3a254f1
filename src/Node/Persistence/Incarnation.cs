using System.Security.Cryptography;

namespace AkkaGame.Node.Persistence;

/// <summary>
/// Names one instance of an entity actor. Stored in every event it journals (field
/// <c>writer</c>): an entity that moves from node to node gets a new name each time, so a name
/// that appears again after another one wrote means two instances were alive at once.
/// (Akka.Persistence.Sql's writer_uuid column names the node's journal, not the instance, so it
/// cannot tell an entity that moved back from one that ran twice.)
/// </summary>
public static class Incarnation
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
