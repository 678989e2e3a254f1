using Akkagame.V1;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;
using Xunit;

namespace AkkaGame.Protocol.Tests.Framing;

/// <summary>
/// What the server sees when a frame is well-formed but its body is not a usable ClientMessage:
/// PROTOCOL.md answers both cases with MALFORMED, so both must be detectable.
/// </summary>
public class MalformedInputTests
{
    private static readonly byte[] Garbage = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

    [Fact]
    public void Garbage_bytes_do_not_parse_as_a_client_message()
    {
        Assert.Throws<InvalidProtocolBufferException>(() => ClientMessage.Parser.ParseFrom(Garbage));
    }

    [Fact]
    public void Garbage_in_a_valid_frame_passes_framing_and_fails_parsing()
    {
        var frames = new List<byte[]>();

        Assert.True(new FrameDecoder().Feed(FrameDecoderTests.WithHeader(Garbage).ToArray(), frames));

        var body = Assert.Single(frames);
        Assert.Equal(Garbage, body);
        Assert.Throws<InvalidProtocolBufferException>(() => ClientMessage.Parser.ParseFrom(body));
    }

    [Fact]
    public void Truncated_body_does_not_parse()
    {
        var chat = new ClientMessage { Seq = 3, Chat = new Chat { Text = "hello" } }.ToByteArray();

        Assert.Throws<InvalidProtocolBufferException>(() => ClientMessage.Parser.ParseFrom(chat.AsSpan(0, chat.Length - 2).ToArray()));
    }

    [Fact]
    public void Message_with_only_a_seq_parses_with_no_body()
    {
        var bytes = new ClientMessage { Seq = 7 }.ToByteArray();

        var parsed = ClientMessage.Parser.ParseFrom(bytes);

        Assert.Equal(new byte[] { 0x08, 0x07 }, bytes);
        Assert.Equal(7u, parsed.Seq);
        Assert.Equal(ClientMessage.BodyOneofCase.None, parsed.BodyCase);
    }

    [Fact]
    public void Unknown_field_parses_with_no_body()
    {
        // Field 99, varint 1: valid protobuf from a newer schema, but no body this server knows.
        var parsed = ClientMessage.Parser.ParseFrom(new byte[] { 0x98, 0x06, 0x01 });

        Assert.Equal(ClientMessage.BodyOneofCase.None, parsed.BodyCase);
    }
}
