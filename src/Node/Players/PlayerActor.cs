using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Persistence;
using AkkaGame.Game.Configuration;
using AkkaGame.Node.Failover;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Persistence.V1;
using AkkaGame.Node.Sessions;
using AkkaGame.Game.Simulation;

namespace AkkaGame.Node.Players;

/// <summary>
/// Event-sourced player: name, credits and sector. Unique in the cluster, so it also holds
/// the player's one live session. Credit operations are idempotent by operation id, and every
/// answer is sent only after its event is stored.
/// </summary>
public sealed partial class PlayerActor : StoredEntityActor
{
    /// <summary>A player with no session stops after this long; it is cheap to recover.</summary>
    private static readonly TimeSpan IdleStop = TimeSpan.FromMinutes(2);

    /// <summary>How long a newcomer session has to prove it is alive before it may replace the current one.</summary>
    private static readonly TimeSpan IdentifyTimeout = TimeSpan.FromSeconds(2);

    private readonly PlayerSettings _settings;
    private readonly WorldRules _rules;
    private readonly PlayerState _state;
    private readonly StallFence _fence = StallFence.Get(Context.System);

    /// <summary>Written into every event, so an audit can tell two live instances from one that moved.</summary>
    private readonly string _incarnation = Incarnation.New();
    private IActorRef? _session;

    /// <summary>Who waits for the event being persisted: told of a refused or failed write instead of being left to time out.</summary>
    private IActorRef? _awaitingWrite;

    /// <summary>True once it asked to be passivated: the Stop that follows is not a hand-off.</summary>
    private bool _passivating;

    public PlayerActor(string playerId, WorldRules rules, PlayerSettings settings)
    {
        _settings = settings;
        _rules = rules;
        _state = new PlayerState(playerId, settings.RememberedOperations);
        PersistenceId = "player-" + playerId;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is PlayerSnapshotV1 s)
            {
                _state.Restore(
                    NullIfEmpty(s.Name),
                    NullIfEmpty(s.SectorId),
                    s.Credits,
                    s.RecentOperations.Select(o => KeyValuePair.Create(o.OperationId, o.BalanceAfter)));
            }
        });
        Recover<IPersisted>(Apply);
        Recover<RecoveryCompleted>(_ => Context.SetReceiveTimeout(IdleStop));

        Command<AttachSession>(attach =>
        {
            if (_session is not null && !_session.Equals(attach.Session))
            {
                // A login can arrive late: during a failover the region buffers it while the
                // client gives up and logs in again elsewhere. Such a stale login must not throw
                // out the live session, so a newcomer replaces it only if it is itself alive.
                var replyTo = Sender;
                attach.Session.Ask<ActorIdentity>(new Identify(null), IdentifyTimeout)
                    .PipeTo(Self, success: id => new AttachChecked(attach, replyTo, id.Subject is not null), failure: _ => new AttachChecked(attach, replyTo, false));
                return;
            }

            OnAttach(attach, Sender);
        });
        Command<AttachChecked>(c =>
        {
            if (c.Alive)
            {
                OnAttach(c.Attach, c.ReplyTo);
            }
        });
        Command<DetachSession>(d =>
        {
            if (d.Session.Equals(_session))
            {
                Context.Unwatch(_session);
                _session = null;
            }
        });
        Command<Terminated>(t =>
        {
            if (t.ActorRef.Equals(_session))
            {
                _session = null;
            }
        });
        Command<AddCredits>(OnAddCredits);
        Command<RelocatePlayer>(r => PersistAndSnapshot(new PlayerRelocatedV1 { SectorId = r.SectorId, Writer = _incarnation }, Sender, e =>
            Sender.Tell(new PlayerRelocated(_state.PlayerId, e.SectorId))));
        Command<KickPlayer>(k =>
        {
            // The session answers with a fatal error and closes; its Terminated clears _session.
            _session?.Tell(new KickSession(k.Reason));
            Sender.Tell(new PlayerKicked(_state.PlayerId, _session?.Path.ToString()));
        });
        Command<GetPlayerInfo>(_ => Sender.Tell(new PlayerInfo(_state.PlayerId, _state.Name, _state.SectorId, _state.Credits, _session is not null)));
        Command<ReceiveTimeout>(_ =>
        {
            if (_session is null)
            {
                _passivating = true;
                Context.Parent.Tell(new Passivate(Messages.Stop.Instance));
            }
        });
        Command<Messages.Stop>(_ =>
        {
            // Not after its own passivation: sharding moves it (rebalance, drain, leaving).
            if (!_passivating)
            {
                Metrics.HandedOff("player");
            }

            Context.Stop(Self);
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => StorageFailed(f.Cause, "snapshot failed; recovery replays more events"));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => StorageFailed(f.Cause, "deleting old snapshots failed"));
    }

    public override string PersistenceId { get; }

    protected override string EntityName => "Player " + _state.PlayerId;

    protected override string EntityKind => "player";

    public static Props Props(string playerId, WorldRules rules, PlayerSettings settings) =>
        Akka.Actor.Props.Create(() => new PlayerActor(playerId, rules, settings));

    private void OnAttach(AttachSession attach, IActorRef replyTo)
    {
        if (!MayAnswer())
        {
            return;
        }

        if (_session is not null && !_session.Equals(attach.Session))
        {
            _session.Tell(new SessionReplaced(_state.PlayerId));
            Context.Unwatch(_session);
        }

        _session = attach.Session;
        Context.Watch(_session);

        void Reply()
        {
            // Welcome shows the balance: a zombie's may be behind what another instance acknowledged.
            if (MayAnswer())
            {
                replyTo.Tell(new PlayerAttached(_state.PlayerId, _state.Name ?? attach.Name, _state.SectorId!, _state.Credits));
            }
        }

        if (!_state.IsRegistered)
        {
            var home = SectorId.HomeOf(_state.PlayerId, _rules);
            PersistAndSnapshot(new PlayerRegisteredV1 { Name = attach.Name, SectorId = home, Writer = _incarnation }, replyTo, _ => Reply());
        }
        else if (_state.Name != attach.Name)
        {
            PersistAndSnapshot(new PlayerRenamedV1 { Name = attach.Name, Writer = _incarnation }, replyTo, _ => Reply());
        }
        else
        {
            Reply();
        }
    }

    private void OnAddCredits(AddCredits add)
    {
        if (_state.TryGetApplied(add.OperationId, out var balance))
        {
            if (MayAnswer())
            {
                Sender.Tell(new CreditsChanged(_state.PlayerId, add.OperationId, balance, add.Amount, add.Reason));
            }

            return;
        }

        PersistAndSnapshot(new CreditsAddedV1 { OperationId = add.OperationId, Amount = add.Amount, Reason = add.Reason, Writer = _incarnation }, Sender, e =>
            Sender.Tell(new CreditsChanged(_state.PlayerId, e.OperationId, _state.Credits, e.Amount, e.Reason)));
    }

    /// <summary>False once this process has stalled past the fence: the instance stops instead of answering from stale state.</summary>
    private bool MayAnswer()
    {
        if (_fence.MayAcknowledge)
        {
            return true;
        }

        // Info: the fence logged the stall once as an error.
        Log.Info("Player {0}: this node stalled and may have been replaced; not answering, stopping", _state.PlayerId);
        Context.Stop(Self);
        return false;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    private sealed record AttachChecked(AttachSession Attach, IActorRef ReplyTo, bool Alive);
}
