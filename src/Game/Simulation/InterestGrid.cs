using System.Numerics;

namespace AkkaGame.Game.Simulation;

/// <summary>
/// Interest management for one sector: which ships each player sees. The sector is divided into
/// square cells as wide as the interest radius; a player sees the ships in its own cell and the
/// eight around it, which holds every ship within the radius (and some a little farther, up to
/// the edge of that 3×3 block), and always its own ship. Players who were in the same cell at the
/// last tick and still are see exactly the same changes, so their delta is built once for all of
/// them (<see cref="ViewChange"/>). Pure: the caller passes the sector's ships in.
/// </summary>
public sealed class InterestGrid
{
    private readonly int _columns;
    private readonly int _rows;

    /// <summary>Each ship's cell as the players were last told of it (after the last tick, or a join).</summary>
    private Dictionary<string, int> _shipCells = new(StringComparer.Ordinal);

    /// <summary>Each viewer's cell when it was last sent its view.</summary>
    private readonly Dictionary<string, int> _viewerCells = new(StringComparer.Ordinal);

    public InterestGrid(float radius, float width, float height)
    {
        if (!(radius > 0) || !float.IsFinite(radius))
        {
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "an interest radius above 0 (0 means off: no grid)");
        }

        Radius = radius;
        _columns = Math.Max(1, (int)Math.Ceiling(width / radius));
        _rows = Math.Max(1, (int)Math.Ceiling(height / radius));
    }

    public float Radius { get; }

    /// <summary>The cell of a position (positions are clamped into the sector).</summary>
    public int CellOf(Vector2 position)
    {
        var x = Math.Clamp((int)(position.X / Radius), 0, _columns - 1);
        var y = Math.Clamp((int)(position.Y / Radius), 0, _rows - 1);
        return y * _columns + x;
    }

    /// <summary>True when a viewer in cell <paramref name="viewer"/> sees a ship in cell <paramref name="ship"/>.</summary>
    public bool Sees(int viewer, int ship) =>
        Math.Abs(viewer % _columns - ship % _columns) <= 1 && Math.Abs(viewer / _columns - ship / _columns) <= 1;

    /// <summary>The cells a viewer in <paramref name="cell"/> sees: its own and the (up to) eight around it.</summary>
    public IEnumerable<int> Neighbourhood(int cell)
    {
        var cx = cell % _columns;
        var cy = cell / _columns;
        for (var y = Math.Max(0, cy - 1); y <= Math.Min(_rows - 1, cy + 1); y++)
        {
            for (var x = Math.Max(0, cx - 1); x <= Math.Min(_columns - 1, cx + 1); x++)
            {
                yield return y * _columns + x;
            }
        }
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
    /// </summary>
    public IReadOnlyList<ViewChange> Advance(IReadOnlyCollection<Ship> ships, TickResult tick, IEnumerable<string> viewers)
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
            var entry = new ShipInCell(ship, before.TryGetValue(ship.PlayerId, out var beforeCell) ? beforeCell : -1, changed.Contains(ship.PlayerId));
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

        // Each group looks at the cells it sees now and the cells it saw before only.
        var result = new List<ViewChange>(groups.Count);
        foreach (var ((previousCell, cell), members) in groups)
        {
            var entering = new List<Ship>();
            var inView = new List<Ship>();
            foreach (var near in Neighbourhood(cell))
            {
                foreach (var ship in nowByCell.GetValueOrDefault(near) ?? [])
                {
                    var wasSeen = previousCell >= 0 && ship.BeforeCell >= 0 && Sees(previousCell, ship.BeforeCell);
                    if (!wasSeen)
                    {
                        entering.Add(ship.Ship);
                    }
                    else if (ship.Changed)
                    {
                        inView.Add(ship.Ship);
                    }
                }
            }

            var leaving = new List<string>();
            if (previousCell >= 0)
            {
                foreach (var near in Neighbourhood(previousCell))
                {
                    foreach (var (id, nowCell) in beforeByCell.GetValueOrDefault(near) ?? [])
                    {
                        if (!(nowCell >= 0 && Sees(cell, nowCell)))
                        {
                            leaving.Add(id);
                        }
                    }
                }
            }

            result.Add(new ViewChange(members, entering, inView, leaving));
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

    /// <summary>A ship as a tick's groups need it: its cell as of the last tick (-1 if new) and whether it changed.</summary>
    private readonly record struct ShipInCell(Ship Ship, int BeforeCell, bool Changed);
}

/// <summary>Viewers that see the same ships now (one cell), and those ships: one snapshot for all of them.</summary>
public sealed record ViewGroup(IReadOnlyList<string> Viewers, IReadOnlyList<Ship> Ships);

/// <summary>
/// What one group of viewers learns from a tick: ships that came into view (whole), ships in
/// view that changed, and ships that left the view or the sector (by id).
/// </summary>
public sealed record ViewChange(IReadOnlyList<string> Viewers, IReadOnlyList<Ship> Entering, IReadOnlyList<Ship> Changed, IReadOnlyList<string> Leaving)
{
    public bool IsEmpty => Entering.Count == 0 && Changed.Count == 0 && Leaving.Count == 0;
}
