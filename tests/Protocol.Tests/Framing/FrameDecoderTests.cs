using System.Buffers.Binary;
using AkkaGame.Protocol.Framing;
using Xunit;

namespace AkkaGame.Protocol.Tests.Framing;

public class FrameDecoderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(20241124)]
    public void Frames_survive_arbitrary_chunk_boundaries(int seed)
    {
        var random = new Random(seed);
        var bodies = Enumerable.Range(0, 300).Select(_ => RandomBody(random, random.Next(1, 3000))).ToList();
        bodies.Add(RandomBody(random, Frame.DefaultMaxFrameBytes));
        var stream = bodies.SelectMany(WithHeader).ToArray();

        var decoder = new FrameDecoder();
        var frames = new List<byte[]>();
        var offset = 0;
        var oneByteChunks = 0;
        while (offset < stream.Length)
        {
            // A third of the chunks are single bytes, so headers split at every position.
            var size = random.Next(3) == 0 ? 1 : random.Next(1, 5000);
            size = Math.Min(size, stream.Length - offset);
            oneByteChunks += size == 1 ? 1 : 0;
            Assert.True(decoder.Feed(stream.AsSpan(offset, size), frames));
            offset += size;
        }

        Assert.True(oneByteChunks > 100, "the chunking must include many 1-byte chunks");
        Assert.Equal(bodies.Count, frames.Count);
        for (var i = 0; i < bodies.Count; i++)
        {
            Assert.Equal(bodies[i], frames[i]);
        }

        Assert.Equal(FrameError.None, decoder.Error);
    }

    [Fact]
    public void Many_frames_in_one_chunk_all_come_out_in_order()
    {
        var bodies = Enumerable.Range(1, 50).Select(i => Enumerable.Repeat((byte)i, i).ToArray()).ToList();
        var frames = new List<byte[]>();

        Assert.True(new FrameDecoder().Feed(bodies.SelectMany(WithHeader).ToArray(), frames));

        Assert.Equal(bodies, frames);
    }

    [Fact]
    public void Partial_frame_is_held_until_its_last_byte()
    {
        var stream = WithHeader(new byte[] { 1, 2, 3 }).ToArray();
        var decoder = new FrameDecoder();
        var frames = new List<byte[]>();

        Assert.True(decoder.Feed(stream.AsSpan(0, 2), frames));
        Assert.True(decoder.Feed(stream.AsSpan(2, 4), frames));
        Assert.Empty(frames);
        Assert.True(decoder.Feed(stream.AsSpan(6), frames));

        Assert.Equal(new byte[] { 1, 2, 3 }, Assert.Single(frames));
    }

    [Fact]
    public void Zero_length_frame_is_rejected_and_the_decoder_stays_failed()
    {
        var decoder = new FrameDecoder();
        var frames = new List<byte[]>();

        Assert.False(decoder.Feed(new byte[] { 0, 0, 0, 0 }, frames));
        Assert.Equal(FrameError.BadLength, decoder.Error);
        Assert.Equal(0, decoder.RejectedLength);

        // The stream position can no longer be trusted: even a valid frame is refused now.
        Assert.False(decoder.Feed(WithHeader(new byte[] { 7 }).ToArray(), frames));
        Assert.Empty(frames);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(Frame.DefaultMaxFrameBytes)]
    public void Frame_one_byte_over_the_limit_is_rejected(int max)
    {
        var decoder = new FrameDecoder(max);
        var frames = new List<byte[]>();

        Assert.False(decoder.Feed(Header((uint)max + 1), frames));

        Assert.Equal(FrameError.BadLength, decoder.Error);
        Assert.Equal(max + 1, decoder.RejectedLength);
        Assert.Empty(frames);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(Frame.DefaultMaxFrameBytes)]
    public void Frame_of_exactly_the_limit_is_accepted(int max)
    {
        var body = RandomBody(new Random(max), max);
        var decoder = new FrameDecoder(max);
        var frames = new List<byte[]>();

        Assert.True(decoder.Feed(WithHeader(body).ToArray(), frames));

        Assert.Equal(body, Assert.Single(frames));
        Assert.Equal(FrameError.None, decoder.Error);
    }

    [Fact]
    public void Largest_possible_header_is_rejected_without_allocating()
    {
        var decoder = new FrameDecoder();

        Assert.False(decoder.Feed(Header(uint.MaxValue), new List<byte[]>()));

        Assert.Equal(uint.MaxValue, decoder.RejectedLength);
    }

    [Fact]
    public void Frames_before_a_bad_header_are_still_delivered()
    {
        var stream = WithHeader(new byte[] { 1 }).Concat(WithHeader(new byte[] { 2, 2 })).Concat(Header(0)).ToArray();
        var frames = new List<byte[]>();

        Assert.False(new FrameDecoder().Feed(stream, frames));

        Assert.Equal(new[] { new byte[] { 1 }, new byte[] { 2, 2 } }, frames);
    }

    [Fact]
    public void Limit_below_one_byte_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameDecoder(0));
    }

    internal static byte[] Header(uint length)
    {
        var header = new byte[Frame.HeaderBytes];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        return header;
    }

    internal static IEnumerable<byte> WithHeader(byte[] body) => Header((uint)body.Length).Concat(body);

    private static byte[] RandomBody(Random random, int length)
    {
        var body = new byte[length];
        random.NextBytes(body);
        return body;
    }
}
