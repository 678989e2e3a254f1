using Akka.Actor;
using AkkaGame.Node.Messages;

namespace AkkaGame.Node.Sessions;

/// <summary>Playing: joining the player's sector, and joining again wherever it lives after it stopped or the ship jumped.</summary>
public sealed partial class SessionActor
{
    /// <summary>
    /// How long a session waits for its sector to answer a join before asking again. A join sent
    /// toward a node that just died is lost; the next one finds the sector's new home.
    /// </summary>
    private static readonly TimeSpan RejoinRetry = TimeSpan.FromMilliseconds(500);

    private void JoinSector(Playing playing, (float X, float Y)? arrival)
    {
        if (_phase != playing)
        {
            return;
        }

        _ctx.Sectors.Tell(new JoinSector(playing.SectorId, playing.PlayerId, playing.Name, Self, arrival?.X, arrival?.Y, playing.PredictsMotion), Self);

        // Until the sector answers (it may be starting on another node after a failure), ask
        // again; joining is idempotent, a ship already there is re-attached where it is.
        playing.PendingArrival = arrival;
        Timers.StartSingleTimer(nameof(Rejoin), Rejoin.Instance, RejoinRetry);
    }

    private void OnSectorJoined(Playing playing, SectorJoined joined)
    {
        if (joined.SectorId != playing.SectorId)
        {
            return;
        }

        if (playing.Sector is not null && !playing.Sector.Equals(Sender))
        {
            Context.Unwatch(playing.Sector);
        }

        playing.Sector = Sender;
        Context.Watch(Sender);
        Timers.Cancel(nameof(Rejoin));
    }

    private void OnTerminated(Playing playing, Terminated terminated)
    {
        if (terminated.ActorRef.Equals(playing.Sector))
        {
            // The sector stopped (rebalance, crash, passivation): join again through the region,
            // which starts it from persistence wherever it lives now.
            playing.Sector = null;
            Timers.StartSingleTimer(nameof(Rejoin), Rejoin.Instance, TimeSpan.FromMilliseconds(100));
        }
    }

    private sealed class Rejoin
    {
        public static readonly Rejoin Instance = new();
    }
}
