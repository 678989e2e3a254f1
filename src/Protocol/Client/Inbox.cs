using Akkagame.V1;

namespace AkkaGame.Protocol.Client;

/// <summary>
/// The queue behind <see cref="GameClient.NextAsync"/>: every server message in arrival order.
/// A lock, a queue and one signal task, because System.Threading.Channels is not part of
/// netstandard2.1 and the traffic here (tests) is small.
/// </summary>
internal sealed class Inbox
{
    private const int RememberedDiscards = 8;

    private readonly object _gate = new();
    private readonly Queue<ServerMessage> _items = new();
    private readonly int _capacity;
    private TaskCompletionSource<bool>? _signal;
    private bool _closed;
    private long _dropped;

    public Inbox(int capacity)
    {
        if (capacity < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "the inbox must hold at least one message");
        }

        _capacity = capacity;
    }

    /// <summary>Messages dropped, oldest first, because the inbox was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Add(ServerMessage message)
    {
        TaskCompletionSource<bool>? signal;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if (_items.Count >= _capacity)
            {
                _items.Dequeue();
                Interlocked.Increment(ref _dropped);
            }

            _items.Enqueue(message);
            signal = _signal;
            _signal = null;
        }

        signal?.TrySetResult(true);
    }

    /// <summary>Wakes every waiter; they drain what is queued and then see the inbox disposed.</summary>
    public void Close()
    {
        TaskCompletionSource<bool>? signal;
        lock (_gate)
        {
            _closed = true;
            signal = _signal;
            _signal = null;
        }

        signal?.TrySetResult(true);
    }

    public async Task<ServerMessage> NextAsync(Func<ServerMessage, bool> predicate, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource();
        var timer = Task.Delay(timeout, cts.Token);
        var discarded = new Queue<string>();
        var discardedCount = 0;
        try
        {
            while (true)
            {
                while (TryTake(out var message))
                {
                    // The predicate runs outside the lock: it is the caller's code.
                    if (predicate(message!))
                    {
                        return message!;
                    }

                    discardedCount++;
                    discarded.Enqueue(message!.BodyCase.ToString());
                    if (discarded.Count > RememberedDiscards)
                    {
                        discarded.Dequeue();
                    }
                }

                var wait = PendingSignal();
                if (await Task.WhenAny(wait, timer).ConfigureAwait(false) == timer)
                {
                    throw new TimeoutException(
                        $"no matching server message within {timeout.TotalMilliseconds:0} ms " +
                        $"({discardedCount} discarded, last: {string.Join(", ", discarded)})");
                }
            }
        }
        finally
        {
            cts.Cancel();
        }
    }

    private bool TryTake(out ServerMessage? message)
    {
        lock (_gate)
        {
            if (_items.Count > 0)
            {
                message = _items.Dequeue();
                return true;
            }

            message = null;
            Guard.NotDisposed(_closed, this);
            return false;
        }
    }

    private Task PendingSignal()
    {
        lock (_gate)
        {
            if (_items.Count > 0 || _closed)
            {
                return Task.CompletedTask;
            }

            _signal ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _signal.Task;
        }
    }
}
