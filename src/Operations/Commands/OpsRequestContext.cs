using Akka.Actor;
using Akka.Event;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Commands;

/// <summary>What a command runs with: the node's actor system, its arguments, and a way to stream.</summary>
public sealed class OpsRequestContext
{
    private readonly Func<OpsReply, Task> _emit;

    public OpsRequestContext(ActorSystem system, OpsArgs args, OpsCommandRegistry registry, TimeSpan timeout, ILoggingAdapter log, Func<OpsReply, Task> emit, CancellationToken cancelled)
    {
        System = system;
        Args = args;
        Registry = registry;
        Timeout = timeout;
        Log = log;
        _emit = emit;
        Cancelled = cancelled;
    }

    public ActorSystem System { get; }

    public OpsArgs Args { get; }

    public OpsCommandRegistry Registry { get; }

    /// <summary>How long one ask of an actor may take (akkagame.ops.command-timeout).</summary>
    public TimeSpan Timeout { get; }

    public ILoggingAdapter Log { get; }

    /// <summary>Cancelled when the client disconnects or the endpoint stops: streaming commands end then.</summary>
    public CancellationToken Cancelled { get; }

    /// <summary>Sends one intermediate line (<c>"more":true</c>) of a streaming command.</summary>
    public Task EmitAsync(OpsReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return _emit(reply with { More = true });
    }
}
