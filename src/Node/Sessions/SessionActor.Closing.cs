using Akka.Actor;
using Akka.Event;
using AkkaGame.Game.Sessions;
using AkkaGame.Node.Gateway;
using Akkagame.V1;

namespace AkkaGame.Node.Sessions;

/// <summary>
/// Closing: a fatal error, a Goodbye or a shutdown notice is the last frame; the write side closes
/// after it, the client's input is drained for a bounded linger, then the connection ends. A slow
/// consumer is aborted at once instead.
/// </summary>
public sealed partial class SessionActor
{
    /// <summary>After the last frame: the client's input is read and dropped until it hangs up or the linger ends.</summary>
    private void Closing()
    {
        Common();
        Receive<InboundFrames>(chunk =>
        {
            // Reading on keeps closing from resetting the connection under its unread last frame.
            // Past close-linger-bytes the node stops reading instead (TCP holds the flood back).
            _discardedBytes += chunk.Bytes;
            if (_discardedBytes <= _ctx.Settings.Gateway.CloseLingerBytes)
            {
                _inbound?.Tell(StreamAck.Instance);
            }
        });
        Receive<CloseNow>(_ =>
        {
            // The linger is over: whatever the client has not read by now it will not read.
            _connection.Abort("closed after the linger");
            Context.Stop(Self);
        });

        // Deltas, answers and terminations still in flight: nobody to tell any more.
        ReceiveAny(_ => { });
    }

    /// <summary>
    /// The client stopped reading and its queue passed the bound: PROTOCOL.md Behaviour 12. No
    /// SLOW_CONSUMER frame is queued: it would wait behind everything the client has not read and
    /// could not arrive before the reset (PROTOCOL.md makes it best effort). The connection is
    /// aborted at once, which frees the queue and the socket's buffers; the player goes into
    /// reconnect grace as with any disconnect.
    /// </summary>
    private void AbortSlowConsumer()
    {
        _log.Info("Connection {0} (player {1}): slow consumer, {2} bytes queued; aborting the connection", _connectionId, PlayerOf(_phase)?.PlayerId, _connection.QueuedBytes);
        _ctx.Metrics.Fatal(ErrorCode.SlowConsumer);
        EnterClosing();
        _connection.Abort("slow consumer");
        Context.Stop(Self);
    }

    /// <summary>A fatal error is the last frame on the connection; then the connection closes.</summary>
    private void Fatal(uint ack, ErrorCode code, string text) => CloseWithFatal(Replies.Error(ack, code, text, fatal: true), code);

    private void CloseWithFatal(byte[] frame, ErrorCode code)
    {
        if (_phase is Closed)
        {
            return;
        }

        _ctx.Metrics.Fatal(code);
        _log.Debug("Connection {0} (player {1}): fatal {2}", _connectionId, PlayerOf(_phase)?.PlayerId, code);
        CloseWith(frame);
    }

    /// <summary>Sends a last frame, completes the write side and waits (bounded) for the client to go.</summary>
    private void CloseWith(byte[] lastFrame)
    {
        EnterClosing();
        _connection.WriteFinal(lastFrame);
        Timers.StartSingleTimer(nameof(CloseNow), CloseNow.Instance, _ctx.Settings.Gateway.CloseLinger);
    }

    private void EnterClosing()
    {
        _phase = new Closed(PlayerOf(_phase));
        _gate.Close();
        _pendingFrames.Clear();
        Timers.Cancel(nameof(CheckTimeouts));
        Timers.Cancel(nameof(Rejoin));
        Become(Closing);
    }

    private sealed class CloseNow
    {
        public static readonly CloseNow Instance = new();
    }
}
