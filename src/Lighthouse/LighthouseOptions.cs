using System.Globalization;
using System.Net;
using Akka.Configuration;
using AkkaGame.Operations.Configuration;

namespace AkkaGame.Lighthouse;

/// <summary>Options of the lighthouse, from the Lighthouse image's environment variables and the command line.</summary>
/// <param name="Host">The address the lighthouse advertises: others reach it there.</param>
/// <param name="BindHost">The address its socket listens on.</param>
public sealed record LighthouseOptions(string SystemName, string Host, string BindHost, int Port, IReadOnlyList<string> Seeds, string DataDir, bool ShowHelp)
{
    public const int DefaultPort = 4053;

    /// <summary>The lighthouse hosts no game entities: sharding runs on role "game" only.</summary>
    private static readonly string[] Roles = ["lighthouse"];

    public const string Usage = """
        AkkaGame lighthouse: the seed node of an AkkaGame cluster.

        usage: AkkaGame.Lighthouse [--akka-host HOST] [--akka-bind HOST] [--akka-port PORT] [--seeds akka.tcp://akkagame@h:p,...]

          --akka-host   address it advertises, the one nodes name in their seeds (env CLUSTER_IP;
                        default 127.0.0.1, or this machine's host name when bound to 0.0.0.0)
          --akka-bind   address it listens on (env AKKAGAME_AKKA_BIND; default: the advertised
                        address when that is loopback, otherwise 0.0.0.0, as the Lighthouse image does)
          --akka-port   port (env CLUSTER_PORT; default 4053)
          --seeds       comma-separated seed addresses (env CLUSTER_SEEDS; default: itself)
          --data-dir    where it remembers the cluster's members, so a restarted lighthouse
                        rejoins the running cluster instead of forming a new one
                        (env AKKAGAME_DATA_DIR; default ./data)
          --ops-host    operator endpoint address (env AKKAGAME_OPS_HOST; default 127.0.0.1; others need --ops-secret)
          --ops-port    operator endpoint port for akkagame-ops (env AKKAGAME_OPS_PORT; default 9110; 0: any free port)
          --ops-secret  secret operators must send (env AKKAGAME_OPS_SECRET; default none)
          env ACTORSYSTEM  actor system name (default akkagame; must match the nodes)
        """;

    public static LighthouseOptions Parse(IReadOnlyList<string> args, Func<string, string?> env)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(env);
        var system = env("ACTORSYSTEM") is { Length: > 0 } s ? s : "akkagame";
        var host = env("CLUSTER_IP") is { Length: > 0 } h ? h : null;
        var bind = env("AKKAGAME_AKKA_BIND") is { Length: > 0 } b ? b : null;
        var port = env("CLUSTER_PORT") is { Length: > 0 } p ? ParsePort(p) : DefaultPort;
        var seeds = env("CLUSTER_SEEDS") is { Length: > 0 } list ? SplitSeeds(list) : [];
        var dataDir = env("AKKAGAME_DATA_DIR") is { Length: > 0 } d ? d : "data";
        var help = false;
        var ops = new OpsOverrides(env("AKKAGAME_OPS_HOST"), env("AKKAGAME_OPS_PORT") is { Length: > 0 } op ? ParsePort(op) : null, env("AKKAGAME_OPS_SECRET"));
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--akka-host": host = Next(); break;
                case "--akka-bind": bind = Next(); break;
                case "--akka-port": port = ParsePort(Next()); break;
                case "--seeds": seeds = SplitSeeds(Next()); break;
                case "--data-dir": dataDir = Next(); break;
                case "--ops-host": ops = ops with { Host = Next() }; break;
                case "--ops-port": ops = ops with { Port = ParsePort(Next()) }; break;
                case "--ops-secret": ops = ops with { Secret = Next() }; break;
                case "--help" or "-h": help = true; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        var (advertised, bound) = Addresses(host, bind, Dns.GetHostName);
        return new LighthouseOptions(system, advertised, bound, port, seeds, dataDir, help) { Ops = ops };
    }

    /// <summary>
    /// The Lighthouse image's convention: bind every interface and advertise <c>CLUSTER_IP</c>
    /// (a container's address is not known to the others otherwise). A loopback address is bound
    /// as it is (a local cluster stays off the network); an advertised "0.0.0.0" (which nobody
    /// can connect to) means this machine's host name, the image's default.
    /// </summary>
    public static (string Advertised, string Bound) Addresses(string? host, string? bind, Func<string> hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        if (host is null or "0.0.0.0")
        {
            if (host is null && bind is null)
            {
                return ("127.0.0.1", "127.0.0.1");
            }

            var bound = bind ?? "0.0.0.0";
            return (bound is "0.0.0.0" or "::" ? hostName() : bound, bound);
        }

        return (host, bind ?? (IsLoopback(host) ? host : "0.0.0.0"));
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Operator endpoint settings given on the command line or in the environment (null: ops.conf's).</summary>
    public OpsOverrides Ops { get; init; } = new(null, null, null);

    public sealed record OpsOverrides(string? Host, int? Port, string? Secret);

    /// <summary>This lighthouse's own cluster address.</summary>
    public string SelfAddress => $"akka.tcp://{SystemName}@{Host}:{Port}";

    /// <summary>
    /// The lighthouse's HOCON: shared akka.conf, cluster.conf and ops.conf, with its own role,
    /// seeds and ops overrides. <paramref name="rememberedMembers"/> (see <see cref="KnownMembers"/>)
    /// follow the configured seeds, so a lighthouse that is its own first seed asks them before
    /// it would form a new cluster alone.
    /// </summary>
    public Config ToConfig(IReadOnlyList<string>? rememberedMembers = null)
    {
        var self = SelfAddress;
        var seeds = (Seeds.Count > 0 ? Seeds : [self]).Concat(rememberedMembers ?? []).Distinct(StringComparer.Ordinal).ToArray();
        var values = new List<(string Path, object Value)>
        {
            ("akka.remote.dot-netty.tcp.hostname", BindHost),
            ("akka.remote.dot-netty.tcp.public-hostname", Host),
            ("akka.remote.dot-netty.tcp.port", Port),
            ("akka.cluster.seed-nodes", seeds),
            ("akka.cluster.roles", Roles),
        };
        if (Ops.Host is { Length: > 0 } opsHost)
        {
            values.Add(("akkagame.ops.host", opsHost));
        }

        if (Ops.Port is { } opsPort)
        {
            values.Add(("akkagame.ops.port", opsPort));
        }

        if (Ops.Secret is { Length: > 0 } opsSecret)
        {
            values.Add(("akkagame.ops.secret", opsSecret));
        }

        return ConfigLayers.Layer(values, "ops.conf", "cluster.conf", "akka.conf");
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new ArgumentException($"'{text}' is not a port");

    private static List<string> SplitSeeds(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
