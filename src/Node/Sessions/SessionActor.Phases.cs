using Akka.Actor;

namespace AkkaGame.Node.Sessions;

/// <summary>The phases of a session, each a behaviour of the actor with the record of what it has.</summary>
public sealed partial class SessionActor
{
    private static Playing? PlayerOf(SessionPhase phase) => phase switch
    {
        Playing p => p,
        Closed c => c.WasPlaying,
        _ => null,
    };

    /// <summary>
    /// What a session has in each phase; <see cref="PhaseName"/> is what operators see. Classes,
    /// not records: a phase is one session's state (Playing changes with a jump), compared by identity.
    /// </summary>
    private abstract class SessionPhase(string phaseName)
    {
        public string PhaseName { get; } = phaseName;
    }

    private sealed class AwaitingHello() : SessionPhase(nameof(AwaitingHello));

    /// <summary>The core accepted the Hello; the player entity is being loaded (the answer carries the Hello's seq).</summary>
    private sealed class LoggingIn() : SessionPhase(nameof(LoggingIn));

    /// <summary>Logged in: always a player, its name and its current sector (which a jump changes).</summary>
    private sealed class Playing(string playerId, string name, string sectorId, bool predictsMotion) : SessionPhase(nameof(Playing))
    {
        public string PlayerId { get; } = playerId;

        public string Name { get; } = name;

        /// <summary>The client said it predicts motion (Hello.predicts_motion): every sector it joins is told.</summary>
        public bool PredictsMotion { get; } = predictsMotion;

        public string SectorId { get; set; } = sectorId;

        /// <summary>The sector entity once it answered a join; null while (re)joining.</summary>
        public IActorRef? Sector { get; set; }

        /// <summary>Where a jump puts the ship, until the new sector has it.</summary>
        public (float X, float Y)? PendingArrival { get; set; }

        /// <summary>The client said Leave: nothing is kept for a reconnect.</summary>
        public bool Left { get; set; }
    }

    /// <summary>The last frame is out; <see cref="WasPlaying"/> says whose grace begins when the session stops.</summary>
    private sealed class Closed(Playing? wasPlaying) : SessionPhase("Closing")
    {
        public Playing? WasPlaying { get; } = wasPlaying;
    }
}
