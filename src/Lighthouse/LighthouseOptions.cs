using System.Net;
using System.CommandLine;
using Akka.Configuration;
using AkkaGame.CommandLine;
using AkkaGame.Operations.Configuration;

namespace AkkaGame.Lighthouse;

/// <summary>Options of the lighthouse, from the Lighthouse image's environment variables and the command line.</summary>
/// <param name="Host">The address the lighthouse advertises: others reach it there.</param>
/// <param name="BindHost">The address its socket listens on.</param>
public sealed record LighthouseOptions(string SystemName, string Host, string BindHost, int Port, IReadOnlyList<string> Seeds, string DataDir)
{
    public const int DefaultPort = 4053;

    /// <summary>Not the game node's 8080: a lighthouse started first on one machine would take the node's dashboard port.</summary>
    public const int DefaultHttpPort = 8081;

    /// <summary>The lighthouse hosts no game entities: sharding runs on role "game" only.</summary>
    private static readonly string[] Roles = ["lighthouse"];

    /// <summary>
    /// The lighthouse's command line. Options fall back to the Lighthouse image's environment
    /// variables (CLUSTER_IP, CLUSTER_PORT, CLUSTER_SEEDS) and ours; ACTORSYSTEM names the
    /// actor system (default akkagame; must match the nodes).
    /// </summary>
    public static RootCommand Command(Func<string, string?> environment, Func<LighthouseOptions, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(run);
        var options = new Options(environment);
        var host = options.Text("akka-host", "address it advertises, the one nodes name in their seeds (default 127.0.0.1, or this machine's host name when bound to 0.0.0.0)", "CLUSTER_IP");
        var bind = options.Text("akka-bind", "address it listens on (default: the advertised address when that is loopback, otherwise 0.0.0.0, as the Lighthouse image does)", "AKKAGAME_AKKA_BIND");
        var port = options.Port("akka-port", "port", DefaultPort, "CLUSTER_PORT");
        var seeds = options.List("seeds", "comma-separated seed addresses (default: itself)", [], "CLUSTER_SEEDS");
        var dataDir = options.Text("data-dir", "where it remembers the cluster's members, so a restarted lighthouse rejoins the running cluster instead of forming a new one", "AKKAGAME_DATA_DIR", "data");
        var opsHost = options.Text("ops-host", "operator endpoint address (default 127.0.0.1; others need --ops-secret)", "AKKAGAME_OPS_HOST");
        var opsPort = options.OptionalPort("ops-port", "operator endpoint port for akkagame-ops (default 9110; 0: any free port)", "AKKAGAME_OPS_PORT");
        var opsSecret = options.Secret("ops-secret", "secret operators must send (default none)", "AKKAGAME_OPS_SECRET");
        var httpHost = options.Text("http-host", "address of the HTTP endpoint: /metrics, /health/live, /health/ready (default 127.0.0.1)", "AKKAGAME_HTTP_HOST");
        var httpPort = options.Port("http-port", $"port of the HTTP endpoint (0: any free port; game nodes default to 8080)", DefaultHttpPort, "AKKAGAME_HTTP_PORT");
        var root = new RootCommand("AkkaGame lighthouse: the seed node of an AkkaGame cluster (env ACTORSYSTEM: actor system name, default akkagame).")
        {
            host, bind, port, seeds, dataDir, opsHost, opsPort, opsSecret, httpHost, httpPort,
        };
        root.Subcommands.Add(HealthCommand.Create(environment, DefaultHttpPort));
        root.SetAction((parsed, _) =>
        {
            var (advertised, bound) = Addresses(parsed.GetValue(host), parsed.GetValue(bind), Dns.GetHostName);
            var system = environment("ACTORSYSTEM") is { Length: > 0 } name ? name : "akkagame";
            var ops = new OpsOverrides(parsed.GetValue(opsHost), parsed.GetValue(opsPort), options.SecretValue(parsed, opsSecret));
            return run(new LighthouseOptions(system, advertised, bound, parsed.GetValue(port), parsed.GetValue(seeds)!, parsed.GetValue(dataDir)!)
            {
                Ops = ops,
                HttpHost = parsed.GetValue(httpHost) ?? "127.0.0.1",
                HttpPort = parsed.GetValue(httpPort),
            });
        });
        return root;
    }

    /// <summary>Parses without running (tests); a bad line throws <see cref="ArgumentException"/>.</summary>
    public static LighthouseOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        LighthouseOptions? parsed = null;
        var command = Command(environment, options =>
        {
            parsed = options;
            return Task.FromResult(0);
        });
        CommandRunner.ParseOrThrow(command, args).Invoke(CommandRunner.Invocation);
        return parsed ?? throw new ArgumentException("no options parsed");
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

    /// <summary>Where the HTTP endpoint (metrics, health) listens.</summary>
    public string HttpHost { get; init; } = "127.0.0.1";

    public int HttpPort { get; init; } = DefaultHttpPort;

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
            ("akkagame.http.host", HttpHost),
            ("akkagame.http.port", HttpPort),
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

        return ConfigLayers.Layer(values, "ops.conf", "http.conf", "cluster.conf", "akka.conf");
    }
}
