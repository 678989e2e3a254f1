using Akka.Actor;
using Akka.Serialization;
using AkkaGame.Node.Messages;
using Hyperion;

namespace AkkaGame.Node.Serialization;

/// <summary>
/// Our Hyperion adapter for messages between actors on different nodes (the registry has no
/// Akka.Serialization.Hyperion). It only ever reads types on its allow-list: every
/// <see cref="IGameMessage"/> in this assembly, plus primitives and lists of allowed types, so
/// bytes from the network cannot make a node construct an arbitrary type. Actor references
/// travel as paths and are resolved on arrival.
/// </summary>
public sealed class AllowListHyperionSerializer : Akka.Serialization.Serializer
{
    private readonly Hyperion.Serializer _serializer;

    public AllowListHyperionSerializer(ExtendedActorSystem system)
        : base(system)
    {
        ArgumentNullException.ThrowIfNull(system);
        var surrogates = new[]
        {
            Surrogate.Create<IActorRef, ActorRefSurrogate>(
                actorRef => new ActorRefSurrogate(Akka.Serialization.Serialization.SerializedActorPath(actorRef)),
                surrogate => system.Provider.ResolveActorRef(surrogate.Path)),
        };
        var options = new SerializerOptions(
            versionTolerance: true,
            preserveObjectReferences: false,
            surrogates: surrogates,
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: true,
            typeFilter: new AllowList(AllowedTypes));
        _serializer = new Hyperion.Serializer(options);
    }

    public override int Identifier => 4101;

    public override bool IncludeManifest => false;

    /// <summary>Every type this serializer reads by name: our messages and the surrogate.</summary>
    public static IReadOnlySet<Type> AllowedTypes { get; } = typeof(IGameMessage).Assembly.GetTypes()
        .Where(t => typeof(IGameMessage).IsAssignableFrom(t) && !t.IsAbstract)
        .Append(typeof(ActorRefSurrogate))
        .Append(typeof(InputError))
        .ToHashSet();

    public override byte[] ToBinary(object obj)
    {
        using var stream = new MemoryStream();
        _serializer.Serialize(obj, stream);
        return stream.ToArray();
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        using var stream = new MemoryStream(bytes);
        return _serializer.Deserialize(stream);
    }

    /// <summary>An actor reference on the wire: its full path with address.</summary>
    public sealed record ActorRefSurrogate(string Path);

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
