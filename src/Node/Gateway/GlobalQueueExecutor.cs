using Akka.Configuration;
using Akka.Dispatch;

namespace AkkaGame.Node.Gateway;

/// <summary>
/// The executor of the client connections' dispatcher (<c>akkagame.connection-dispatcher</c> in
/// hocon/akka.conf): it queues each actor run on the .NET thread pool's global queue, first in
/// first out, where Akka's default executor queues it with <c>preferLocal: true</c> on the calling
/// worker's own queue, which that worker empties last in first out before anything else. With the
/// connections' stream actors on it, a sector's tick can wake each connection it writes to
/// directly (<see cref="ConnectionStage"/>): the wake-ups queue behind the clients' inputs that
/// are already waiting, not ahead of them, and no extra work item carries them to the global queue.
/// </summary>
public sealed class GlobalQueueExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
    : ExecutorServiceConfigurator(config, prerequisites)
{
    public override ExecutorService Produce(string id) => new GlobalQueueExecutor(id);

    private sealed class GlobalQueueExecutor(string id) : ExecutorService(id)
    {
        public override void Execute(IRunnable run) => ThreadPool.UnsafeQueueUserWorkItem(run, preferLocal: false);

        public override void Shutdown()
        {
            // The .NET thread pool is shared and outlives the dispatcher: nothing to stop.
        }
    }
}
