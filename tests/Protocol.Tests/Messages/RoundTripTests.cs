using System.Buffers.Binary;
using Akkagame.V1;
using AkkaGame.Protocol.Framing;
using Google.Protobuf;
using Xunit;

namespace AkkaGame.Protocol.Tests.Messages;

public class RoundTripTests
{
    public static TheoryData<string> ClientBodies() =>
        new(MessageSamples.Client.Keys.Select(k => k.ToString()));

    public static TheoryData<string> ServerBodies() =>
        new(MessageSamples.Server.Keys.Select(k => k.ToString()));

    [Fact]
    public void Samples_cover_every_client_body()
    {
        var all = Enum.GetValues<ClientMessage.BodyOneofCase>().Where(c => c != ClientMessage.BodyOneofCase.None);
        Assert.Equal(all.OrderBy(c => c), MessageSamples.Client.Keys.OrderBy(c => c));
    }

    [Fact]
    public void Samples_cover_every_server_body()
    {
        var all = Enum.GetValues<ServerMessage.BodyOneofCase>().Where(c => c != ServerMessage.BodyOneofCase.None);
        Assert.Equal(all.OrderBy(c => c), MessageSamples.Server.Keys.OrderBy(c => c));
    }

    [Theory]
    [MemberData(nameof(ClientBodies))]
    public void Client_message_survives_encode_and_decode(string body)
    {
        var sample = MessageSamples.Client[Enum.Parse<ClientMessage.BodyOneofCase>(body)];
        Assert.Equal(body, sample.BodyCase.ToString());
        FieldCoverage.AssertEveryFieldSet(sample, body);

        var decoded = ClientMessage.Parser.ParseFrom(SingleFrameBody(sample));

        Assert.NotSame(sample, decoded);
        Assert.Equal(sample, decoded);
    }

    [Theory]
    [MemberData(nameof(ServerBodies))]
    public void Server_message_survives_encode_and_decode(string body)
    {
        var sample = MessageSamples.Server[Enum.Parse<ServerMessage.BodyOneofCase>(body)];
        Assert.Equal(body, sample.BodyCase.ToString());
        FieldCoverage.AssertEveryFieldSet(sample, body);

        var decoded = ServerMessage.Parser.ParseFrom(SingleFrameBody(sample));

        Assert.NotSame(sample, decoded);
        Assert.Equal(sample, decoded);
    }

    [Fact]
    public void Frame_header_is_the_body_length_big_endian()
    {
        var message = new ServerMessage { Chat = new ChatLine { Text = new string('x', 1000) } };

        var frame = Frame.Encode(message);

        Assert.True(message.CalculateSize() > 255, "the body must need more than one header byte");
        Assert.Equal((uint)(frame.Length - Frame.HeaderBytes), BinaryPrimitives.ReadUInt32BigEndian(frame));
        Assert.Equal(message.ToByteArray(), frame.AsSpan(Frame.HeaderBytes).ToArray());
    }

    private static byte[] SingleFrameBody(IMessage message)
    {
        var frames = new List<byte[]>();
        Assert.True(new FrameDecoder().Feed(Frame.Encode(message), frames));
        return Assert.Single(frames);
    }
}
