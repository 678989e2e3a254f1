using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using AkkaGame.Node.Messages;
using Hyperion;

namespace AkkaGame.Node.Serialization;

/// <summary>
/// Akka.Serialization.Hyperion for messages between actors on different nodes, given our
/// allow-list as its type filter: it only ever reads every <see cref="IGameMessage"/> in this
/// assembly, Akka's actor-reference surrogate, primitives and collections of allowed types, so
/// bytes from the network cannot make a node construct an arbitrary type. (Hyperion's own
/// <c>allowed-types</c> setting matches exact type names only, so <c>List&lt;ShipInfo&gt;</c>
/// could not be allowed without allowing <c>List&lt;anything&gt;</c>'s name by hand.) Settings
/// come from <c>akka.actor.serialization-settings.hyperion</c> (hocon/serialization.conf).
/// </summary>
public sealed class AllowListHyperionSerializer : HyperionSerializer
{
    public AllowListHyperionSerializer(ExtendedActorSystem system, Config config)
        : base(system, HyperionSerializerSettings.Create(config).WithTypeFilter(new AllowList(AllowedTypes)))
    {
    }

    /// <summary>Our own id, not the library's (-5): it is on the wire between nodes.</summary>
    public override int Identifier => 4101;

    /// <summary>Every type this serializer reads by name: our messages and the actor-reference surrogate (and its interface, for arrays of references).</summary>
    public static IReadOnlySet<Type> AllowedTypes { get; } = typeof(IGameMessage).Assembly.GetTypes()
        .Where(t => typeof(IGameMessage).IsAssignableFrom(t) && !t.IsAbstract)
        .Append(typeof(ActorRefBase.Surrogate))

        // The element type of an IActorRef[] (RelayFrame's sessions): an interface, so nothing is
        // built from its name; each element travels as the surrogate above.
        .Append(typeof(IActorRef))
        .Append(typeof(Akkagame.V1.ErrorCode))
        .Append(typeof(RelayedFrame))
        .ToHashSet();

    /// <summary>
    /// Allows a type name when it resolves to an allowed type, a primitive, string, or an array
    /// or generic collection whose arguments are all allowed.
    /// </summary>
    private sealed class AllowList(IReadOnlySet<Type> allowed) : ITypeFilter
    {
        private static readonly HashSet<Type> Containers =
        [
            typeof(List<>), typeof(IReadOnlyList<>), typeof(Nullable<>), typeof(Dictionary<,>),
        ];

        /// <summary>Hyperion writes the core library's version part as this token ("System.Private.CoreLib,%core%").</summary>
        private const string CoreToken = ",%core%";

        public bool IsAllowed(string typeName)
        {
            try
            {
                var type = Type.GetType(typeName.Replace(CoreToken, string.Empty, StringComparison.Ordinal), throwOnError: false);
                return type is not null && IsAllowed(type);
            }
            catch (Exception e) when (e is FileLoadException or ArgumentException or TypeLoadException or BadImageFormatException)
            {
                // A name that does not even resolve cleanly is not on any allow-list.
                return false;
            }
        }

        private bool IsAllowed(Type type)
        {
            if (type.IsPrimitive || type == typeof(string) || type == typeof(decimal) || allowed.Contains(type))
            {
                return true;
            }

            if (type.IsArray)
            {
                return IsAllowed(type.GetElementType()!);
            }

            return type.IsGenericType
                && Containers.Contains(type.GetGenericTypeDefinition())
                && type.GetGenericArguments().All(IsAllowed);
        }
    }
}
