using System.Diagnostics;
using AkkaGame.Game.Simulation;
using AkkaGame.Game.Frames;
var n = int.Parse(args[0]); var radius = float.Parse(args[1]);
var rules = WorldRules.Default;
var s = new SectorState("s-0-0", rules);
var rnd = new Random(1);
long now = 0;
var ids = Enumerable.Range(0, n).Select(i => "player-" + i.ToString("D5") + "-abcdefgh").ToList();
foreach (var id in ids) s.Enter(id, "Name " + id, null);
var grid = radius > 0 ? new InterestGrid(radius, rules.Width, rules.Height) : null;
foreach (var id in ids) grid?.ViewOf(id, s.Ships);
uint seq = 0;
var times = new List<double>(); var advT = new List<double>(); var buildT = new List<double>(); long groups = 0, builtBytes = 0; long bytes = 0; int frames = 0;
for (int t = 0; t < 400; t++)
{
    now += 50;
    if (t % 20 == 0) foreach (var id in ids) s.MoveTo(id, ++seq, (float)rnd.NextDouble() * 1000, (float)rnd.NextDouble() * 1000);
    var sw = Stopwatch.StartNew();
    var r = s.Advance(now);
    if (grid is null) { foreach (var f in SectorFrames.Deltas(s.Id, r, 1<<20)) { bytes += f.Length * n; frames += n; } }
    else {
      var sw2 = Stopwatch.StartNew(); var ch = grid.Advance(s.Ships, r, ids); var adv = sw2.Elapsed.TotalMilliseconds;
      var ds = InterestFrames.Deltas(s.Id, r, ch); var built = sw2.Elapsed.TotalMilliseconds - adv;
      if (t >= 100) { advT.Add(adv); buildT.Add(built); groups += ch.Count; builtBytes += ds.Sum(d => d.Frames.Sum(f => (long)f.Length)); }
      foreach (var g in ds) foreach (var f in g.Frames) { bytes += (long)f.Length * g.Viewers.Count; frames += g.Viewers.Count; } }
    if (t >= 100) times.Add(sw.Elapsed.TotalMilliseconds);
}
times.Sort();
Console.WriteLine($"n={n} r={radius} tick p50 {times[times.Count/2]:0.00} ms p99 {times[(int)(times.Count*0.99)]:0.00} max {times[^1]:0.00}; frames/tick {frames/400} bytes/tick {bytes/400/1024} KB");

advT.Sort(); buildT.Sort();
if (advT.Count > 0) Console.WriteLine($"  grid.Advance p50 {advT[advT.Count/2]:0.00} ms; frames build p50 {buildT[buildT.Count/2]:0.00} ms; groups/tick {groups/300}; built KB/tick {builtBytes/300/1024}; advance(state) = rest");
