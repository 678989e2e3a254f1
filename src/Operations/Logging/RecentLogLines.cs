using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace AkkaGame.Operations.Logging;

/// <summary>
/// An Akka logger (akka.loggers in hocon/ops.conf) that keeps the node's recent log lines for
/// <c>log peek</c>; the default stdout logger stays beside it.
/// </summary>
public sealed class RecentLogLines : ReceiveActor, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    public RecentLogLines()
    {
        var recent = RecentLogs.Get(Context.System);
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(recent.Add);
    }
}
