using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace AkkaGame.Lighthouse;

/// <summary>
/// Remembers the cluster's members in a file, so a restarted lighthouse rejoins the cluster that
/// is still running instead of forming a second one. Without it, the usual Lighthouse setup (a
/// lighthouse that is its own only seed, game nodes that name only the lighthouse) splits after a
/// lighthouse restart: the new lighthouse forms a cluster alone, and every game node restarted
/// afterwards joins that one, so two clusters each run sharding over the same database.
/// </summary>
public sealed class KnownMembers : ReceiveActor
{
    public const string FileName = "lighthouse-members.txt";

    /// <summary>At most this many addresses are remembered: members of a cluster whose addresses change (containers) are not kept forever.</summary>
    private const int MaxRemembered = 64;

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _path;
    private readonly Cluster _cluster = Cluster.Get(Context.System);

    /// <summary>Oldest first. Starts with what an earlier run remembered, so a restart that dies again before it rejoins forgets nothing.</summary>
    private readonly List<string> _members;

    public KnownMembers(string dataDir)
    {
        _path = Path.Combine(dataDir, FileName);
        _members = Read(dataDir, _cluster.SelfAddress.ToString()).ToList();
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up))
            {
                Remember(member.Address.ToString());
            }
        });
        Receive<ClusterEvent.MemberUp>(up => Remember(up.Member.Address.ToString()));
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            // A member that left is no seed to ask; one that is only down may come back on its address.
            if (removed.PreviousStatus != MemberStatus.Down && _members.Remove(removed.Member.Address.ToString()))
            {
                Save();
            }
        });
    }

    /// <summary>The members remembered by an earlier run, without this lighthouse itself; none when there is no file.</summary>
    public static IReadOnlyList<string> Read(string dataDir, string self)
    {
        var path = Path.Combine(dataDir, FileName);
        try
        {
            return File.Exists(path)
                ? File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && l != self).ToList()
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"warning: cannot read the remembered members in {path}: {e.Message}");
            return [];
        }
    }

    public static Props Props(string dataDir) => Akka.Actor.Props.Create(() => new KnownMembers(dataDir));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberUp), typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Remember(string address)
    {
        if (address == _cluster.SelfAddress.ToString())
        {
            return;
        }

        // Most recently seen last; the oldest go first when there are too many.
        _members.Remove(address);
        _members.Add(address);
        if (_members.Count > MaxRemembered)
        {
            _members.RemoveRange(0, _members.Count - MaxRemembered);
        }

        Save();
    }

    private void Save()
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temp = _path + ".tmp";
            File.WriteAllLines(temp, _members);
            File.Move(temp, _path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Warning("Could not remember the cluster's members in {0}: {1}", _path, e.Message);
        }
    }
}
