namespace AkkaGame.Node.Persistence.V1;

// Generated protobuf classes are partial: mark each persisted type for the serializer binding.
public sealed partial class ChatPostedV1 : IPersisted;

public sealed partial class SectorSnapshotV1 : IPersisted;

public sealed partial class PlayerRegisteredV1 : IPersisted;

public sealed partial class PlayerRenamedV1 : IPersisted;

public sealed partial class CreditsAddedV1 : IPersisted;

public sealed partial class PlayerRelocatedV1 : IPersisted;

public sealed partial class PlayerSnapshotV1 : IPersisted;

public sealed partial class NodeStartedV1 : IPersisted;
