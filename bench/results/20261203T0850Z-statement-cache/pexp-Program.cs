using System.Diagnostics;
using Akka.Actor;
using Akka.Persistence;
using AkkaGame.Node.Hosting;
using AkkaGame.Node.Persistence;
using AkkaGame.Node.Persistence.V1;

var n = int.Parse(args[0]);
var rate = int.Parse(args[1]); // per second; 0 = all at once
var mode = args[2]; // sqlite | inmem
var dir = Path.Combine(Path.GetTempPath(), "pexp-" + Guid.NewGuid().ToString("N")[..6]);
var opts = NodeOptions.Parse(["--data-dir", dir], _ => null);
var config = NodeConfig.Build(opts);
if (mode == "inmem")
    config = Akka.Configuration.ConfigurationFactory.ParseString("akka.persistence.journal.plugin = \"akka.persistence.journal.inmem\"\nakka.persistence.snapshot-store.plugin = \"akka.persistence.snapshot-store.inmem\"").WithFallback(config);
config = Akka.Configuration.ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel=WARNING").WithFallback(config);
Directory.CreateDirectory(dir);
// as the node: WAL
using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "akkagame.db")}")) { c.Open(); var k = c.CreateCommand(); k.CommandText = "PRAGMA journal_mode=WAL;"; k.ExecuteNonQuery(); }
using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "akkagame-snapshots.db")}")) { c.Open(); var k = c.CreateCommand(); k.CommandText = "PRAGMA journal_mode=WAL;"; k.ExecuteNonQuery(); }
var system = ActorSystem.Create("pexp", GameNode.Setup(config));
await StorageWarmup.RunAsync(system, "x:1", TimeSpan.FromSeconds(10));
var proc = Process.GetCurrentProcess();
for (var round = 0; round < 3; round++)
{
    var cpu0 = proc.TotalProcessorTime; proc.Refresh();
    cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var lat = new double[n];
    var tasks = new List<Task>();
    for (var i = 0; i < n; i++)
    {
        if (rate > 0) { var due = TimeSpan.FromSeconds((double)i / rate); var wait = due - sw.Elapsed; if (wait > TimeSpan.Zero) await Task.Delay(wait); }
        var idx = i;
        var start = sw.Elapsed;
        var a = mode == "plain" ? system.ActorOf(Props.Create(() => new Q())) : system.ActorOf(Props.Create(() => new P($"r{round}-{idx}")));
        tasks.Add(a.Ask<string>("go", TimeSpan.FromSeconds(60)).ContinueWith(_ => lat[idx] = (sw.Elapsed - start).TotalMilliseconds));
    }
    await Task.WhenAll(tasks);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
    Array.Sort(lat);
    Console.WriteLine($"{mode} round {round}: n={n} rate={rate} wall={sw.ElapsedMilliseconds} ms cpu={cpu.TotalMilliseconds:0} ms ({cpu.TotalMilliseconds / n:0.00} ms each) p50={lat[n/2]:0} p99={lat[n*99/100]:0}");
}
Console.WriteLine($"calls={AkkaGame.Node.Persistence.SqliteStatementCache.Optimizer.Calls} yes={AkkaGame.Node.Persistence.SqliteStatementCache.Optimizer.Yes}");
await system.Terminate();

class P : ReceivePersistentActor
{
    public override string PersistenceId { get; }
    public P(string id)
    {
        PersistenceId = "player-" + id;
        Recover<PlayerRegisteredV1>(_ => { });
        Command<string>(_ => { var s = Sender; Persist(new PlayerRegisteredV1 { Name = "x", SectorId = "s-0-0", Writer = "w" }, _ => s.Tell("ok")); });
    }
}

class Q : ReceiveActor { public Q() { Receive<string>(_ => Sender.Tell("ok")); } }
