using System.Diagnostics;
using AkkaGame.Node.Monitoring;

namespace AkkaGame.Node.Sectors;

/// <summary>What the sector tells its node's metrics and dashboard: tick times, load, hand-offs.</summary>
public sealed partial class SectorActor
{
    private readonly SectorLoads _loads = SectorLoads.Get(Context.System);
    private int _ticksSinceReport;

    /// <summary>Its tick p99 passed <see cref="NodeMetrics.HotShare"/> of the tick interval at the last report: its ticks get a series of their own.</summary>
    private bool _hot;

    /// <summary>True once this sector asked to be passivated: the Stop that follows is not a hand-off.</summary>
    private bool _passivating;

    protected override void PostStop()
    {
        _loads.Remove(_state.Id);
        base.PostStop();
    }

    /// <summary>Records a tick's time (returned, in ms); about once a second, reports the sector's load.</summary>
    private double TickEnded(long startedTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startedTimestamp);
        _tickTimes.Add(elapsed.TotalMilliseconds);
        Metrics.TickTook(elapsed);
        if (_hot)
        {
            Metrics.HotSectorTickTook(_state.Id, elapsed);
        }

        if (++_ticksSinceReport >= _state.Rules.TickHz)
        {
            _ticksSinceReport = 0;
            ReportLoad();
        }

        return elapsed.TotalMilliseconds;
    }

    private void ReportLoad()
    {
        var p99 = _tickTimes.P99();
        _hot = p99 > NodeMetrics.HotShare * 1000.0 / _state.Rules.TickHz;
        _loads.Report(new SectorLoad(_state.Id, _state.Ships.Count, _state.ConnectedCount, p99, _state.TimeDilation));
    }

    /// <summary>Sharding's Stop: after the sector's own passivation, or a hand-off to another node.</summary>
    private void OnStop()
    {
        if (!_passivating)
        {
            Metrics.HandedOff("sector");
        }

        StopAfterSnapshot();
    }
}
