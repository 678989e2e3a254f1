namespace AkkaGame.Chaos.Tests;

/// <summary>The faults a chaos round can inject. Each names the awkward moment it aims at.</summary>
public enum FaultKind
{
    /// <summary>kill -9 of a game node that stays down until its shards moved, then comes back (a rebalance toward it follows).</summary>
    KillStayDown,

    /// <summary>A node comes back, and another is killed the moment the coordinator starts rebalancing toward it.</summary>
    KillDuringRebalance,

    /// <summary>One node drains (SIGTERM) and another is killed while the first is handing off.</summary>
    KillDuringDrain,

    /// <summary>
    /// A node comes back, and is drained (SIGTERM) while the coordinator is still moving shards to
    /// it: sectors on their way there move again. The drain's wait is measured from the SIGTERM.
    /// </summary>
    DrainDuringRebalance,

    /// <summary>kill -9 of the oldest game node, which hosts the shard coordinators.</summary>
    KillCoordinator,

    /// <summary>Two nodes killed one after the other (the second once the first is gone), then both restarted.</summary>
    TwoKills,

    /// <summary>SIGSTOP long enough to be downed, then SIGCONT: the zombie must acknowledge nothing and leave.</summary>
    Freeze,

    /// <summary>A graceful drain (SIGTERM): players move with nothing lost and a short wait.</summary>
    Drain,

    /// <summary>A drain of the oldest game node, as every rolling upgrade does once: the shard coordinators move too.</summary>
    DrainCoordinator,

    /// <summary>kill -9 of the lighthouse, restarted a few seconds later: it must rejoin the running cluster.</summary>
    LighthouseKill,

    /// <summary>
    /// An operator moves the busiest sector to another node (<c>game sector move</c>), and the
    /// node it goes to (first round) or the node it leaves (next round, alternately) is killed
    /// while it is on its way: the players stay served, and once the node is back the sector
    /// runs where it was moved.
    /// </summary>
    KillDuringMove,

    /// <summary>As <see cref="KillDuringMove"/>, with a drain (SIGTERM) of the node it leaves or goes to instead of a kill.</summary>
    DrainDuringMove,
}
