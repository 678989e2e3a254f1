namespace AkkaGame.Node.Persistence;

/// <summary>
/// Marker for the protobuf types AkkaGame persists; bound to <c>PersistedSerializer</c> in
/// hocon/akka.conf so nothing persisted ever goes through a reflection-based serializer.
/// </summary>
public interface IPersisted;
