using AkkaGame.Bench.PeerCommon;
using AkkaGame.Game.Simulation;
using Orleans;
using Orleans.Runtime;

namespace AkkaGame.Bench.Orleans.Grains;

/// <summary>
/// A player around the core's <see cref="PlayerState"/>. Credits and the sector are written to
/// grain storage before the call returns, as the node stores them before it answers; the storage
/// of this peer is Orleans' in-memory provider, so the write is a grain call, not a disk write.
/// </summary>
public sealed class PlayerGrain(
    [PersistentState("player", OrleansPeerServer.Storage)] IPersistentState<PlayerRecord> record,
    PeerSettings settings) : Grain, IPlayerGrain
{
    private PlayerState _state = null!;
    private ISessionObserver? _session;
    private string? _sessionId;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _state = new PlayerState(this.GetPrimaryKeyString(), settings.RememberedOperations);
        var r = record.State;
        _state.Restore(r.Name, r.SectorId, r.Credits, r.Operations.Select(o => KeyValuePair.Create(o.Id, o.BalanceAfter)));
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<PlayerInfo> Attach(string name, string connectionId, ISessionObserver session)
    {
        if (_session is not null && _sessionId != connectionId)
        {
            _ = _session.Replaced();
        }

        _session = session;
        _sessionId = connectionId;
        if (!_state.IsRegistered)
        {
            _state.Register(name, SectorId.HomeOf(_state.PlayerId, settings.World));
            await StoreAsync();
        }
        else if (_state.Name != name)
        {
            _state.Rename(name);
            await StoreAsync();
        }

        return new PlayerInfo(_state.PlayerId, _state.Name!, _state.SectorId!, _state.Credits);
    }

    public Task Detach(string connectionId)
    {
        if (_sessionId == connectionId)
        {
            _session = null;
            _sessionId = null;
        }

        return Task.CompletedTask;
    }

    public async Task<long> AddCredits(string operationId, long amount)
    {
        if (_state.TryGetApplied(operationId, out var already))
        {
            return already;
        }

        var balance = _state.ApplyCredits(operationId, amount);
        await StoreAsync();
        return balance;
    }

    public async Task Relocate(string sectorId)
    {
        _state.MoveTo(sectorId);
        await StoreAsync();
    }

    private Task StoreAsync()
    {
        var r = record.State;
        r.Name = _state.Name;
        r.SectorId = _state.SectorId;
        r.Credits = _state.Credits;
        r.Operations = [.. _state.RecentOperations.Select(o => new CreditOperation(o.Key, o.Value))];
        return record.WriteStateAsync();
    }
}
