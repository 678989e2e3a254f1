using System.Numerics;

namespace AkkaGame.Game.Simulation;

/// <summary>
/// Interest management for one sector: which ships each player sees. The sector is divided into
/// square cells of <c>radius / cellsPerRadius</c>; a player sees the ships in every cell some
/// point of which lies within the radius of some point of its own cell (a disc of cells around
/// its own), which holds every ship within the radius wherever in its cell the player is, and
/// some a little farther, and always its own ship. With one cell per radius that is the 3×3
/// block around the player's cell; finer cells (more per radius) follow the circle closer, so a
/// crowd sends fewer ships, at the cost of fewer players sharing a cell's frame. Players who
/// were in the same cell at the last tick and still are see exactly the same changes, so their
/// delta is built once for all of them (<see cref="ViewChange"/>). Pure: the caller passes the
/// sector's ships in.
/// </summary>
public sealed class InterestGrid
{
    /// <summary>The finest grid allowed: a player's view is then about 400 cells.</summary>
    public const int MaxCellsPerRadius = 10;

    private readonly int _columns;
    private readonly int _rows;
    private readonly int _cellsPerRadius;

    /// <summary>The (column, row) offsets of the cells a viewer sees, its own first.</summary>
    private readonly (int X, int Y)[] _reach;

    /// <summary>Each ship's cell as the players were last told of it (after the last tick, or a join).</summary>
    private Dictionary<string, int> _shipCells = new(StringComparer.Ordinal);

    /// <summary>Each viewer's cell when it was last sent its view.</summary>
    private readonly Dictionary<string, int> _viewerCells = new(StringComparer.Ordinal);

    public InterestGrid(float radius, float width, float height, int cellsPerRadius = 1)
    {
        if (!(radius > 0) || !float.IsFinite(radius))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "an interest radius above 0 (0 means off: no grid)");
        }

        if (cellsPerRadius is < 1 or > MaxCellsPerRadius)
        {
            throw new ArgumentOutOfRangeException(nameof(cellsPerRadius), cellsPerRadius, $"from 1 to {MaxCellsPerRadius} cells per radius");
        }

        Radius = radius;
        _cellsPerRadius = cellsPerRadius;
        CellSize = radius / cellsPerRadius;
        _columns = Math.Max(1, (int)Math.Ceiling(width / CellSize));
        _rows = Math.Max(1, (int)Math.Ceiling(height / CellSize));
        var reach = new List<(int X, int Y)>();
        for (var dy = -cellsPerRadius - 1; dy <= cellsPerRadius + 1; dy++)
        {
            for (var dx = -cellsPerRadius - 1; dx <= cellsPerRadius + 1; dx++)
            {
                if (InReach(Math.Abs(dx), Math.Abs(dy)))
                {
                    reach.Add((dx, dy));
                }
            }
        }

        _reach = [.. reach.OrderBy(o => Math.Abs(o.X) + Math.Abs(o.Y))];
    }

    public float Radius { get; }

    /// <summary>The side of a cell: the radius over the cells per radius.</summary>
    public float CellSize { get; }

    /// <summary>The cell of a position (positions are clamped into the sector).</summary>
    public int CellOf(Vector2 position)
    {
        var x = Math.Clamp((int)(position.X / CellSize), 0, _columns - 1);
        var y = Math.Clamp((int)(position.Y / CellSize), 0, _rows - 1);
        return y * _columns + x;
    }

    /// <summary>True when a viewer in cell <paramref name="viewer"/> sees a ship in cell <paramref name="ship"/>.</summary>
    public bool Sees(int viewer, int ship) =>
        InReach(Math.Abs(viewer % _columns - ship % _columns), Math.Abs(viewer / _columns - ship / _columns));

    /// <summary>The cells a viewer in <paramref name="cell"/> sees: its own first, then those around it within reach.</summary>
    public IEnumerable<int> Neighbourhood(int cell)
    {
        var cx = cell % _columns;
        var cy = cell / _columns;
        foreach (var (dx, dy) in _reach)
        {
            var (x, y) = (cx + dx, cy + dy);
            if (x >= 0 && x < _columns && y >= 0 && y < _rows)
            {
                yield return y * _columns + x;
            }
        }
    }

    /// <summary>
    /// Whether cells <paramref name="dx"/> columns and <paramref name="dy"/> rows apart are in
    /// view of each other: the nearest points of two such cells are <c>max(dx - 1, 0)</c> and
    /// <c>max(dy - 1, 0)</c> cells apart along each axis, and a cell is half-open, so any two
    /// points of cells that fail this are farther apart than the radius.
    /// </summary>
    private bool InReach(int dx, int dy)
    {
        var gx = Math.Max(dx - 1, 0);
        var gy = Math.Max(dy - 1, 0);
        return gx * gx + gy * gy < _cellsPerRadius * _cellsPerRadius;
    }

    /// <summary>
    /// The ships <paramref name="viewerId"/> sees now, for its snapshot (a join); from here on its
    /// deltas are relative to this view.
    /// </summary>
    public IReadOnlyList<Ship> ViewOf(string viewerId, IReadOnlyCollection<Ship> ships) => ViewsOf([viewerId], ships)[0].Ships;

    /// <summary>
    /// What each of <paramref name="viewerIds"/> sees now, for their snapshots (joins, or catching
    /// up after falling behind), grouped: viewers in one cell see the same ships, so each group's
    /// snapshot is encoded once. From here on their deltas are relative to these views. A viewer
    /// without a ship in the sector sees nothing (a group of its own with no ships).
    /// </summary>
    public IReadOnlyList<ViewGroup> ViewsOf(IEnumerable<string> viewerIds, IReadOnlyCollection<Ship> ships)
    {
        ArgumentNullException.ThrowIfNull(viewerIds);
        ArgumentNullException.ThrowIfNull(ships);
        var byId = new Dictionary<string, Ship>(ships.Count, StringComparer.Ordinal);
        var byCell = new Dictionary<int, List<Ship>>();
        foreach (var ship in ships)
        {
            // Ships move only in ticks, so this is each ship's cell as of the last tick (or, for
            // one that arrived since, its first): what the next tick's changes are relative to.
            var cell = CellOf(ship.Position);
            _shipCells[ship.PlayerId] = cell;
            byId[ship.PlayerId] = ship;
            Add(byCell, cell, ship);
        }

        var groups = new Dictionary<int, List<string>>();
        foreach (var viewer in viewerIds)
        {
            var cell = -1;
            if (byId.TryGetValue(viewer, out var own))
            {
                cell = CellOf(own.Position);
                _viewerCells[viewer] = cell;
            }
            else
            {
                _viewerCells.Remove(viewer);
            }

            Add(groups, cell, viewer);
        }

        return groups.Select(g => new ViewGroup(
            g.Value,
            g.Key < 0 ? [] : Neighbourhood(g.Key).SelectMany(near => byCell.GetValueOrDefault(near) ?? []).ToList())).ToList();
    }

    /// <summary>The viewer left the sector or lost its session: its next join starts from a snapshot.</summary>
    public void Forget(string viewerId) => _viewerCells.Remove(viewerId);

    /// <summary>
    /// After a tick: for each group of viewers that share a view change (same cell before and
    /// after), the ships that came into view (send whole), those that changed in view, and those
    /// that left it or the sector (send in removed_ships). Viewers without a ship see nothing.
    /// For a group whose viewers all predict motion (<paramref name="predictsMotion"/>), the
    /// changed ships are only those steered (<see cref="TickResult.IsSteered"/>): a crowd's other
    /// ships would be listed for every group only to be left out of its delta.
    /// </summary>
    public IReadOnlyList<ViewChange> Advance(IReadOnlyCollection<Ship> ships, TickResult tick, IEnumerable<string> viewers, Func<string, bool>? predictsMotion = null)
    {
        ArgumentNullException.ThrowIfNull(ships);
        ArgumentNullException.ThrowIfNull(tick);
        ArgumentNullException.ThrowIfNull(viewers);
        var before = _shipCells;
        var now = new Dictionary<string, int>(ships.Count, StringComparer.Ordinal);
        var changed = new HashSet<string>(tick.ChangedShips.Select(s => s.PlayerId), StringComparer.Ordinal);

        // Each ship's cells and whether it changed are looked up once per tick, here; the groups
        // below compare cell numbers only (a dense crowd has hundreds of ships in each view).
        var nowByCell = new Dictionary<int, List<ShipInCell>>();
        foreach (var ship in ships)
        {
            var cell = CellOf(ship.Position);
            now[ship.PlayerId] = cell;
            var isChanged = changed.Contains(ship.PlayerId);
            var entry = new ShipInCell(ship, before.TryGetValue(ship.PlayerId, out var beforeCell) ? beforeCell : -1, isChanged, isChanged && tick.IsSteered(ship));
            Add(nowByCell, cell, entry);
        }

        var beforeByCell = new Dictionary<int, List<(string Id, int NowCell)>>();
        foreach (var (id, beforeCell) in before)
        {
            Add(beforeByCell, beforeCell, (id, now.TryGetValue(id, out var nowCell) ? nowCell : -1));
        }

        var groups = new Dictionary<(int Before, int Now), List<string>>();
        foreach (var viewer in viewers)
        {
            if (!now.TryGetValue(viewer, out var cell))
            {
                _viewerCells.Remove(viewer);
                continue;
            }

            // A viewer never sent a view (it should have had a snapshot) starts from nothing.
            var previous = _viewerCells.TryGetValue(viewer, out var p) ? p : -1;
            _viewerCells[viewer] = cell;
            Add(groups, (previous, cell), viewer);
        }

        // Each group looks at the cells it sees now and the cells it saw before only. Most
        // viewers and ships stay in their cells from one tick to the next: a ship that did, seen
        // by a viewer that did, was seen and still is, without comparing cells.
        var result = new List<ViewChange>(groups.Count);
        foreach (var ((previousCell, cell), members) in groups)
        {
            var stayed = previousCell == cell;
            var steeredOnly = predictsMotion is not null && members.TrueForAll(predictsMotion.Invoke);
            var entering = new List<Ship>();
            var inView = new List<Ship>();
            var flewOn = false;
            foreach (var near in Neighbourhood(cell))
            {
                if (!nowByCell.TryGetValue(near, out var inCell))
                {
                    continue;
                }

                foreach (var ship in inCell)
                {
                    var wasSeen = stayed && ship.BeforeCell == near
                        || previousCell >= 0 && ship.BeforeCell >= 0 && Sees(previousCell, ship.BeforeCell);
                    if (!wasSeen)
                    {
                        entering.Add(ship.Ship);
                    }
                    else if (steeredOnly ? ship.Steered : ship.Changed)
                    {
                        inView.Add(ship.Ship);
                    }
                    else
                    {
                        flewOn |= ship.Changed;
                    }
                }
            }

            var leaving = new List<string>();
            if (previousCell >= 0)
            {
                foreach (var near in Neighbourhood(previousCell))
                {
                    if (!beforeByCell.TryGetValue(near, out var wereInCell))
                    {
                        continue;
                    }

                    foreach (var (id, nowCell) in wereInCell)
                    {
                        if (!(stayed && nowCell == near || nowCell >= 0 && Sees(cell, nowCell)))
                        {
                            leaving.Add(id);
                        }
                    }
                }
            }

            result.Add(new ViewChange(members, entering, inView, leaving, flewOn));
        }

        _shipCells = now;
        return result;
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> lists, TKey key, TValue value)
        where TKey : notnull
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>A ship as a tick's groups need it: its cell as of the last tick (-1 if new), whether it changed, and whether it was steered.</summary>
    private readonly record struct ShipInCell(Ship Ship, int BeforeCell, bool Changed, bool Steered);
}

/// <summary>Viewers that see the same ships now (one cell), and those ships: one snapshot for all of them.</summary>
public sealed record ViewGroup(IReadOnlyList<string> Viewers, IReadOnlyList<Ship> Ships);

/// <summary>
/// What one group of viewers learns from a tick: ships that came into view (whole), ships in
/// view that changed (for a group that predicts motion, those steered), and ships that left the
/// view or the sector (by id). <paramref name="FlewOn"/>: ships in view also flew on along their
/// velocity, not listed (a group that predicts motion is still sent the tick's delta).
/// </summary>
public sealed record ViewChange(IReadOnlyList<string> Viewers, IReadOnlyList<Ship> Entering, IReadOnlyList<Ship> Changed, IReadOnlyList<string> Leaving, bool FlewOn = false)
{
    public bool IsEmpty => Entering.Count == 0 && Changed.Count == 0 && Leaving.Count == 0 && !FlewOn;
}
