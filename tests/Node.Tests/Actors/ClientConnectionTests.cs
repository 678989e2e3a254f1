using Akka;
using Akka.Actor;
using Akka.IO;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.TestActors;
using Akka.TestKit.Xunit2;
using AkkaGame.Node.Gateway;
using AkkaGame.Node.Tests.Support;
using Xunit;

namespace AkkaGame.Node.Tests.Actors;

/// <summary>
/// A connection's stage (<see cref="ConnectionStage"/>) both ways. In: each read's frames reach the
/// session one read at a time, each after its ack, the end of the input after the last read; an
/// abort or a failed input reaches the session; a stopped session stops the reading. Out: the
/// connection's queue as its socket's stream reads it: writes of at most max-write-bytes, in order; a stream that
/// waits is woken by the next frame, completion after the last frame, an abort fails the stream
/// (a reset, never a completion), and no frame is lost or reordered when writers on several
/// threads race the reader.
/// </summary>
public sealed class ClientConnectionTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Completed = "completed";

    [Fact]
    public async Task Queued_frames_go_out_in_order_in_writes_of_at_most_max_write_bytes_and_a_larger_frame_goes_alone()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 10);
        var frames = new[] { Bytes(1, 4), Bytes(2, 4), Bytes(3, 4), Bytes(4, 25), Bytes(5, 3) };
        foreach (var frame in frames)
        {
            Assert.Equal(WriteResult.Written, connection.Write(frame));
        }

        connection.Complete();
        var writes = await connection.Outbound(Sys).RunWith(Sink.Seq<ByteString>(), Sys.Materializer()).WaitAsync(Wait);

        Assert.Equal(frames.SelectMany(f => f), writes.SelectMany(w => w.ToArray()));
        Assert.All(writes, w => Assert.True(w.Count <= 10 || w.Count == 25, $"a write of {w.Count} bytes"));
        Assert.Equal(0, connection.QueuedBytes);
    }

    [Fact]
    public async Task A_stream_waiting_on_an_empty_queue_is_woken_by_the_next_frame_and_completes_after_the_last()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var probe = CreateTestProbe();
        connection.Outbound(Sys).RunWith(Sink.ActorRef<ByteString>(probe.Ref, Completed, ex => ex), Sys.Materializer());
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        connection.Write([7, 7]);
        Assert.Equal(new byte[] { 7, 7 }, probe.ExpectMsg<ByteString>(Wait).ToArray());
        await Task.Delay(100);
        connection.WriteFinal([8]);
        Assert.Equal(new byte[] { 8 }, probe.ExpectMsg<ByteString>(Wait).ToArray());
        probe.ExpectMsg(Completed, Wait);
        Assert.Equal(WriteResult.Closed, connection.Write([9]));
    }

    [Fact]
    public async Task An_abort_fails_the_stream_and_drops_what_was_queued()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        connection.Write([1]);
        connection.Write([2]);
        connection.Abort("slow consumer");

        var stream = connection.Outbound(Sys).RunWith(Sink.Seq<ByteString>(), Sys.Materializer());

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => stream.WaitAsync(Wait));
        Assert.True(IsAbort(failure), failure.ToString());
        Assert.Equal(0, connection.QueuedBytes);
        Assert.Equal(WriteResult.Closed, connection.Write([3]));
    }

    [Fact]
    public void An_abort_while_the_stream_waits_fails_it()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var probe = CreateTestProbe();
        connection.Outbound(Sys).RunWith(Sink.ActorRef<ByteString>(probe.Ref, Completed, ex => ex), Sys.Materializer());
        connection.Write([1]);
        probe.ExpectMsg<ByteString>(Wait);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        connection.Abort("slow consumer");

        var failure = probe.ExpectMsg<Exception>(Wait);
        Assert.True(IsAbort(failure), failure.ToString());
    }

    [Fact]
    public void A_frame_that_would_pass_the_bound_is_refused_and_nothing_is_queued()
    {
        var connection = new ClientConnection(maxQueuedBytes: 10, maxWriteBytes: 1024);
        Assert.Equal(WriteResult.Written, connection.Write(new byte[8]));
        Assert.Equal(WriteResult.Full, connection.Write(new byte[3]));
        Assert.Equal(8, connection.QueuedBytes);
    }

    [Fact]
    public void A_reader_waiting_on_the_empty_queue_is_woken_once_by_the_next_frame_then_by_the_completion()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var wakes = 0;
        void Wake() => wakes++;

        Assert.Equal(QueueTake.Waiting, connection.TakeOrWait(out _, Wake, out _));
        connection.Write([1]);
        connection.Write([2]);
        Assert.Equal(1, wakes);

        Assert.Equal(QueueTake.Frame, connection.TakeOrWait(out var first, Wake, out _));
        Assert.Equal(QueueTake.Frame, connection.TakeOrWait(out var second, Wake, out _));
        Assert.Equal(new byte[] { 1, 2 }, first.Concat(second));
        Assert.Equal(QueueTake.Waiting, connection.TakeOrWait(out _, Wake, out _));
        Assert.Equal(1, wakes);

        connection.WriteFinal([3]);
        Assert.Equal(2, wakes);
        Assert.Equal(QueueTake.Frame, connection.TakeOrWait(out var last, Wake, out _));
        Assert.Equal(new byte[] { 3 }, last);
        Assert.Equal(QueueTake.Ended, connection.TakeOrWait(out _, Wake, out _));
        Assert.Equal(2, wakes);
        Assert.Equal(0, connection.QueuedBytes);
    }

    [Fact]
    public void A_reader_waiting_on_the_empty_queue_is_woken_by_an_abort_and_told_why_and_takes_nothing_left()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var wakes = 0;
        void Wake() => wakes++;

        Assert.Equal(QueueTake.Waiting, connection.TakeOrWait(out _, Wake, out _));
        connection.Abort("slow consumer");
        Assert.Equal(1, wakes);
        Assert.Equal(QueueTake.Aborted, connection.TakeOrWait(out _, Wake, out var reason));
        Assert.True(IsAbort(reason!), reason?.ToString());

        var withFrames = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        withFrames.Write([1]);
        withFrames.Abort("slow consumer");
        Assert.Equal(QueueTake.Aborted, withFrames.TakeOrWait(out _, Wake, out _));
    }

    [Fact]
    public async Task Writers_on_four_threads_racing_the_reader_lose_and_reorder_nothing()
    {
        const int Writers = 4;
        const int FramesEach = 5_000;
        var connection = new ClientConnection(maxQueuedBytes: long.MaxValue, maxWriteBytes: 64);
        var received = connection.Outbound(Sys)
            .RunAggregate(new List<byte>(), (all, write) =>
            {
                all.AddRange(write.ToArray());
                return all;
            }, Sys.Materializer());

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < FramesEach; i++)
            {
                Assert.Equal(WriteResult.Written, connection.Write([(byte)w, (byte)(i >> 16), (byte)(i >> 8), (byte)i]));
                if (i % 500 == 0)
                {
                    Thread.Sleep(1); // let the reader catch up and wait, so the wake-up path is raced too
                }
            }
        })).ToArray();
        await Task.WhenAll(writers).WaitAsync(Wait);
        connection.Complete();

        var bytes = await received.WaitAsync(Wait);
        Assert.Equal(Writers * FramesEach * 4, bytes.Count);
        var next = new int[Writers];
        for (var at = 0; at < bytes.Count; at += 4)
        {
            var writer = bytes[at];
            var seq = (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            Assert.Equal(next[writer]++, seq);
        }

        Assert.All(next, n => Assert.Equal(FramesEach, n));
    }

    [Fact]
    public async Task Reads_reach_the_session_as_frames_one_at_a_time_each_after_an_ack_and_the_end_after_the_last()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var session = CreateTestProbe();
        var input = RunStage(connection, session.Ref);

        session.ExpectMsg<StreamInit>(Wait);
        var stage = session.LastSender;
        // A frame split over two reads, then a read with one whole frame and the start of another.
        await input.OfferAsync(ByteString.FromBytes([0, 0, 0, 2, 10]));
        await input.OfferAsync(ByteString.FromBytes([11]));
        await input.OfferAsync(ByteString.FromBytes([0, 0, 0, 1, 12, 0, 0]));
        session.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // nothing before the session's ack

        stage.Tell(StreamAck.Instance, session.Ref);
        var first = session.ExpectMsg<InboundFrames>(Wait);
        Assert.Empty(first.Frames);
        Assert.Equal(5, first.Bytes);
        session.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the next read waits for the next ack
        stage.Tell(StreamAck.Instance, session.Ref);
        Assert.Equal(new byte[] { 10, 11 }, Assert.Single(session.ExpectMsg<InboundFrames>(Wait).Frames));
        input.Complete();
        session.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the end waits behind the last read
        stage.Tell(StreamAck.Instance, session.Ref);
        var last = session.ExpectMsg<InboundFrames>(Wait);
        Assert.Equal(new byte[] { 12 }, Assert.Single(last.Frames));
        Assert.Null(last.BadLength);
        session.ExpectMsg<StreamCompleted>(Wait);
    }

    [Fact]
    public async Task A_bad_length_header_is_reported_after_the_frames_before_it()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var session = CreateTestProbe();
        var input = RunStage(connection, session.Ref);
        session.ExpectMsg<StreamInit>(Wait);
        session.Reply(StreamAck.Instance);

        await input.OfferAsync(ByteString.FromBytes([0, 0, 0, 1, 7, 0, 0, 1, 0]));

        var read = session.ExpectMsg<InboundFrames>(Wait);
        Assert.Equal(new byte[] { 7 }, Assert.Single(read.Frames));
        Assert.Equal(256, read.BadLength);
    }

    [Fact]
    public void A_failed_input_reaches_the_session_as_StreamFailed()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var session = CreateTestProbe();
        Source.Failed<ByteString>(new IOException("connection reset by peer"))
            .Via(connection.Flow(session.Ref, maxFrameBytes: 100, writeBound: TimeSpan.FromMinutes(1)))
            .To(Sink.Ignore<ByteString>())
            .Run(Sys.Materializer());

        session.ExpectMsg<StreamInit>(Wait);
        Assert.Equal("connection reset by peer", session.ExpectMsg<StreamFailed>(Wait).Cause.Message);
    }

    [Fact]
    public async Task An_abort_fails_both_ways_at_once_and_the_session_hears_of_it()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var session = CreateTestProbe();
        var written = CreateTestProbe();
        var input = RunStage(connection, session.Ref, written.Ref);
        session.ExpectMsg<StreamInit>(Wait);

        connection.Abort("slow consumer");

        Assert.True(IsAbort(session.ExpectMsg<StreamFailed>(Wait).Cause));
        Assert.True(IsAbort(written.ExpectMsg<Exception>(Wait)));
        await input.WatchCompletionAsync().WaitAsync(Wait); // the input was cancelled
    }

    [Fact]
    public async Task When_the_session_stops_reading_stops_and_what_it_queued_is_still_written()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var session = Sys.ActorOf(BlackHoleActor.Props);
        var written = CreateTestProbe();
        var input = RunStage(connection, session, written.Ref);

        connection.WriteFinal([1, 2]);
        Sys.Stop(session);

        await input.WatchCompletionAsync().WaitAsync(Wait); // the input was cancelled
        Assert.Equal(new byte[] { 1, 2 }, written.ExpectMsg<ByteString>(Wait).ToArray());
        written.ExpectMsg(Completed, Wait);
    }

    [Fact]
    public async Task When_the_session_has_stopped_and_the_client_takes_nothing_the_connection_fails_after_the_write_bound()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 10);
        var session = Sys.ActorOf(BlackHoleActor.Props);
        var (input, output) = Source.Queue<ByteString>(8, OverflowStrategy.Backpressure)
            .Via(connection.Flow(session, maxFrameBytes: 100, writeBound: TimeSpan.FromMilliseconds(300)))
            .ToMaterialized(Sink.Queue<ByteString>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Keep.Both)
            .Run(Sys.Materializer());
        foreach (var b in new byte[] { 1, 2, 3 })
        {
            connection.Write(Enumerable.Repeat(b, 10).ToArray()); // one write each; the sink holds one and takes no more
        }

        await AwaitConditionAsync(() => Task.FromResult(connection.QueuedBytes < 30), Wait); // the sink took its one write
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        Sys.Stop(session);
        await input.WatchCompletionAsync().WaitAsync(Wait);
        Assert.True(connection.QueuedBytes > 0, "the client has not taken everything");

        Assert.Equal(1, (await output.PullAsync().WaitAsync(Wait)).Value[0]);
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            while ((await output.PullAsync().WaitAsync(Wait)).HasValue)
            {
            }
        });
        Assert.Contains("did not take the last frames", failure.GetBaseException().Message);
        Assert.True(stopped.ElapsedMilliseconds >= 250, $"failed {stopped.ElapsedMilliseconds} ms after the session stopped, before the bound");
    }

    [Fact]
    public async Task A_WebSocket_sender_gets_each_frame_without_its_length_prefix_until_completion()
    {
        var connection = new ClientConnection(maxQueuedBytes: 1 << 20, maxWriteBytes: 1024);
        var messages = new List<byte[]>();
        var reading = Task.Run(async () =>
        {
            await foreach (var message in connection.Messages())
            {
                messages.Add(message.ToArray());
            }
        });

        connection.Write([0, 0, 0, 2, 10, 11]);
        await Task.Delay(100);
        connection.Write([0, 0, 0, 1, 12]);
        connection.Complete();
        await reading.WaitAsync(Wait);

        Assert.Equal([[10, 11], [12]], messages);
    }

    /// <summary>
    /// The connection's stage as the gateway runs it: between a queue standing for TCP's reads
    /// and <paramref name="written"/>, which gets what it writes (ignored when null).
    /// </summary>
    private ISourceQueueWithComplete<ByteString> RunStage(ClientConnection connection, IActorRef session, IActorRef? written = null) =>
        Source.Queue<ByteString>(8, OverflowStrategy.Backpressure)
            .Via(connection.Flow(session, maxFrameBytes: 100, writeBound: TimeSpan.FromMinutes(1)))
            .To(written is null
                ? Sink.Ignore<ByteString>().MapMaterializedValue(_ => NotUsed.Instance)
                : Sink.ActorRef<ByteString>(written, Completed, ex => ex))
            .Run(Sys.Materializer());

    /// <summary>The abort's own exception, perhaps wrapped; never a completion.</summary>
    private static bool IsAbort(Exception e) =>
        e is IOException { Message: "slow consumer" }
        || (e is AggregateException a && a.Flatten().InnerExceptions.Any(IsAbort));

    private static byte[] Bytes(byte value, int count) => Enumerable.Repeat(value, count).ToArray();
}
