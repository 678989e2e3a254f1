namespace AkkaGame.Protocol;

/// <summary>The protocol version of PROTOCOL.md: what a client's Hello carries and a server speaks.</summary>
public static class ProtocolVersion
{
    public const uint Current = 1;
}
