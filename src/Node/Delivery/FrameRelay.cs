using Akka.Actor;
using AkkaGame.Node.Messages;

namespace AkkaGame.Node.Delivery;

/// <summary>
/// One per game node, at /user/frame-relay: takes a frame an entity on another node sent once
/// for all its players here (<see cref="RelayFrame"/>) and writes it to each of their connections.
/// </summary>
public sealed class FrameRelay : ReceiveActor
{
    public const string Name = "frame-relay";

    public FrameRelay()
    {
        var delivery = new FrameDelivery(Context.System);
        Receive<RelayFrame>(relay =>
        {
            foreach (var session in relay.Sessions)
            {
                // Sessions named in a relay live here; one that is gone gets a dead letter, as before.
                delivery.TryWriteLocal(relay.Frame, session);
            }
        });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new FrameRelay());
}
