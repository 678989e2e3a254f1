using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Persistence.V1;
using Google.Protobuf;

namespace AkkaGame.Node.Serialization;

/// <summary>
/// Writes persisted events and snapshots as protobuf with the message's full name as manifest
/// (e.g. "akkagame.persisted.v1.ChatPostedV1"). The manifest is the version: readers map each
/// manifest ever written to a parser, so old rows stay readable after the schema grows.
/// </summary>
public sealed class PersistedSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private static readonly Dictionary<string, MessageParser> Parsers =
        PersistedReflection.Descriptor.MessageTypes
            .Where(d => typeof(IPersisted).IsAssignableFrom(d.ClrType))
            .ToDictionary(d => d.FullName, d => d.Parser, StringComparer.Ordinal);

    public override int Identifier => 4102;

    public override byte[] ToBinary(object obj) => obj switch
    {
        IPersisted and IMessage message => message.ToByteArray(),
        _ => throw new ArgumentException($"{obj?.GetType()} is not a persisted type", nameof(obj)),
    };

    public override object FromBinary(byte[] bytes, string manifest) =>
        Parsers.TryGetValue(manifest, out var parser)
            ? parser.ParseFrom(bytes)
            : throw new SerializationException($"unknown persisted manifest '{manifest}'");

    public override string Manifest(object o) => o switch
    {
        IPersisted and IMessage message => message.Descriptor.FullName,
        _ => throw new ArgumentException($"{o?.GetType()} is not a persisted type", nameof(o)),
    };
}
