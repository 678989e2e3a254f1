#!/usr/bin/env python3
"""Summarize a bench/run results directory: medians over repeats, ratios AkkaGame / peer,
the ceiling per system in each load sweep, gnuplot data files and a gnuplot script (charts.gp).

    python3 bench/scripts/summarize.py bench/results/<timestamp>
    python3 bench/scripts/summarize.py --past-ceiling RUN.json   (exit 0 when that run is past the ceiling)
"""
import glob
import json
import os
import re
import statistics
import sys

SYSTEM_ORDER = ["akka", "akka-pg", "akka-battle", "akka3", "thread-per-client", "raw-async", "orleans", "thread-per-client-mem", "raw-async-mem", "orleans-mem"]
SYSTEM_NAME = {
    "akka": "AkkaGame (1 node)",
    "akka-pg": "AkkaGame (1 node, PostgreSQL)",
    "akka-battle": "AkkaGame battle node (64k)",
    "akka3": "AkkaGame (3 nodes)",
    "thread-per-client": "thread-per-client",
    "raw-async": "raw-async",
    "orleans": "Orleans",
    "thread-per-client-mem": "thread-per-client (in memory)",
    "raw-async-mem": "raw-async (in memory)",
    "orleans-mem": "Orleans (in memory)",
}
CEILING_MS = 100.0

# The load sweeps bench/run makes; a case named FAMILY-N is load N of that sweep.
SWEEPS = {
    "movers": "movers sweep: N clients, 2 MoveTo/s each, 16 sectors (fan-out grows with N)",
    "inputs": "inputs sweep: N clients, 40 MoveTo/s each, 64 sectors (input rate grows with N)",
    "capacity": "capacity: N clients, 1 MoveTo/s each, 64 sectors, 20 Hz (how many players one server core holds)",
}
# Above this, the load generator's own core is close to full: its lateness, not only the
# server's, may be in the latency (it is measured from the scheduled slot).
GENERATOR_BUSY_CORES = 0.85
# Below this, the server's pinned core still had room when a ceiling was passed.
SERVER_BUSY_CORES = 0.9


def server_quota(out):
    """The share of a core every server was held to (bench/run --server-cpu), or 1.0 (its whole core)."""
    try:
        with open(os.path.join(out, "meta.txt")) as f:
            for line in f:
                m = re.match(r"server cpu quota: ([0-9.]+) cores", line)
                if m:
                    return float(m.group(1))
    except OSError:
        pass
    return 1.0


def sweep_of(case):
    m = re.fullmatch(r"([a-z]+)-(\d+)", case)
    return m.group(1) if m and m.group(1) in SWEEPS else None


def get(d, path, default=None):
    for key in path.split("."):
        if not isinstance(d, dict) or key not in d or d[key] is None:
            return default
        d = d[key]
    return d


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, float) and not v.is_integer() or digits > 0:
        return f"{v:.{digits}f}"
    return str(int(v))


# (headline metric label, json path, lower is better, digits)
METRICS = {
    "idle": [
        ("server KB / connection", "server.rss_per_connection_kb", True, 0),
        ("server CPU cores", "server.cpu_cores_used", True, 3),
        ("ping p99 ms", "latency.ping.p99_ms", True, 1),
        ("server threads", "server.threads_at_end", True, 0),
    ],
    "movers": [
        ("input-to-state p50 ms", "latency.input.p50_ms", True, 1),
        ("input-to-state p99 ms", "latency.input.p99_ms", True, 1),
        ("inputs applied / s", "throughput.inputs_applied_per_s", False, 0),
        ("server CPU cores", "server.cpu_cores_used", True, 2),
        ("client CPU cores", "client.cpu_cores_used", True, 2),
    ],
    "hot-sector": [
        ("input-to-state p50 ms", "latency.input.p50_ms", True, 1),
        ("input-to-state p99 ms", "latency.input.p99_ms", True, 1),
        ("inputs applied / s", "throughput.inputs_applied_per_s", False, 0),
        ("clients connected at end", "connect.connected_at_end", False, 0),
        ("server CPU cores", "server.cpu_cores_used", True, 2),
        ("client CPU cores", "client.cpu_cores_used", True, 2),
        # What the clients received, all of them together: the server's frames and bytes sent.
        ("frames received / s", "received.frames_per_s", True, 0),
        ("MB received / s", "received.megabytes_per_s", True, 1),
        # AkkaGame only (its /metrics; the peers have no tick measure or dilation).
        ("sector tick p99 ms", "server_sectors.slowest_sector_tick_p99_ms", True, 1),
        ("slowest time dilation seen", "received.slowest_time_dilation", False, 2),
        # After the window half the clients leave (--leave-half): seconds until the deltas say 1.0.
        ("full speed after half left, s", "leave_half.full_speed_after_s", True, 1),
        ("staying clients dropped after half left", "leave_half.disconnects", True, 0),
    ],
    "economy": [
        ("mine->Credits p50 ms", "latency.mine.p50_ms", True, 1),
        ("mine->Credits p99 ms", "latency.mine.p99_ms", True, 1),
        ("mines credited / s", "throughput.mines_stored_per_s", False, 0),
        ("server CPU cores", "server.cpu_cores_used", True, 2),
    ],
    "storm": [
        ("connect->Welcome p50 ms", "latency.connect.p50_ms", True, 1),
        ("connect->Welcome p99 ms", "latency.connect.p99_ms", True, 1),
        ("connect phase s", "connect.connect_phase_s", True, 1),
        ("server KB / connection", "server.rss_per_connection_kb", True, 0),
    ],
    "churn": [
        ("jump->Jumped p50 ms", "latency.jump.p50_ms", True, 1),
        ("jump->Jumped p99 ms", "latency.jump.p99_ms", True, 1),
        ("jumps / s", "throughput.jumps_per_s", False, 0),
        ("server CPU cores", "server.cpu_cores_used", True, 2),
    ],
}


def crowd_charts(out, runs, systems, family="crowd"):
    """gnuplot commands (and FAMILY.dat) for the crowd cases (issue 15), FAMILY-N: p99
    input-to-state, the share of clients still connected, and server CPU, against the ships in
    one sector. The families: crowd, and crowd-predicted (clients that predict motion)."""
    points = {}
    for (s, c), rs in runs.items():
        m = re.fullmatch(re.escape(family) + r"-(\d+)", c)
        if m:
            points.setdefault(s, []).append((int(m.group(1)), rs))
    series = [s for s in systems if s in points]
    if not series:
        return []
    with open(os.path.join(out, f"{family}.dat"), "w") as f:
        for s in series:
            f.write(f'"{SYSTEM_NAME.get(s, s)}"\n')
            for n, rs in sorted(points[s], key=lambda p: p[0]):
                p99 = median([get(r, "latency.input.p99_ms") for r in rs])
                kept = median([100.0 * get(r, "connect.connected_at_end", 0) / n for r in rs])
                cpu = median([get(r, "server.cpu_cores_used") for r in rs])
                f.write(f"{n} {fmt(p99, 3) if p99 is not None else 'NaN'} {fmt(kept, 1)} {fmt(cpu, 3)}\n")
            f.write("\n\n")
    n = len(series)
    ships = sorted({n for s in series for n, _ in points[s]})
    plot = lambda col: f"plot for [i=0:{n - 1}] '{family}.dat' index i using 1:{col} with linespoints lw 2 pt 7 lc i+1 title columnheader(1)"
    return [
        "set xlabel 'ships (clients) in one sector, 1 MoveTo/s each, 20 Hz'",
        "set logscale x 2",
        "set xtics (" + ", ".join(str(n) for n in ships) + ")",
        f"set output '{family}-latency.png'",
        f"set title '{family}: input-to-state p99 of the clients still connected (target 150 ms at 1,000 ships)'",
        "set ylabel 'p99 input-to-state (ms, log scale)'",
        "set logscale y",
        "set arrow from graph 0, first 150 to graph 1, first 150 nohead dt 3 lc rgb 'red'",
        plot(2),
        "unset arrow",
        "unset logscale y",
        f"set output '{family}-connected.png'",
        f"set title '{family}: clients still connected at the end of the measured window'",
        "set ylabel 'connected (% of clients)'",
        "set yrange [0:105]",
        plot(3),
        f"set output '{family}-cpu.png'",
        f"set title '{family}: server CPU (cores; server pinned to one core)'",
        "set ylabel 'server CPU (cores)'",
        "set yrange [0:*]",
        plot(4),
        "set yrange [*:*]",
        "unset logscale x",
        "set xtics autofreq",
    ]


def trouble(r):
    """Errors, disconnects, lost requests and clients that never got ready, summed."""
    # COOLDOWN is the game's once-per-second mining rule answering a mine that arrived early
    # after a late one: jitter, which the latency columns already show; not a failure.
    cooldown = get(r, "counters.errors_by_code.COOLDOWN", 0)
    errors = get(r, "counters.errors", 0) - cooldown + get(r, "counters.disconnects", 0)
    lost = sum(get(r, f"latency.{m}.lost", 0) for m in ("input", "ping", "mine", "jump"))
    not_ready = get(r, "parameters.clients", 0) - get(r, "connect.ready", 0)
    return errors + lost + max(0, not_ready)


def past_ceiling(r):
    p99 = get(r, "latency.input.p99_ms")
    return p99 is None or p99 > CEILING_MS or trouble(r) > 0


def main(out):
    runs = {}
    for path in sorted(glob.glob(os.path.join(out, "*.json"))):
        with open(path) as f:
            r = json.load(f)
        base = os.path.basename(path)[:-5]
        system, case, _ = base.split("--")
        runs.setdefault((system, case), []).append(r)
    if not runs:
        print("no results")
        return 1

    systems = [s for s in SYSTEM_ORDER if any(k[0] == s for k in runs)]
    systems += sorted({k[0] for k in runs} - set(systems))
    cases = []
    order = lambda kv: (kv[1][0]["scenario"], sweep_of(kv[0][1]) or "", get(kv[1][0], "parameters.clients", 0))
    for (_, case), rs in sorted(runs.items(), key=order):
        if case not in cases:
            cases.append(case)
    peers = [s for s in systems if not s.startswith("akka")]
    first = next(iter(runs.values()))[0]

    lines = []
    w = lines.append
    w(f"# Benchmark summary: {os.path.basename(out.rstrip('/'))}")
    w("")
    m = first.get("machine", {})
    w(f"- machine: {m.get('nproc')} cores, {m.get('cpu_model')}, {m.get('mem_total_mb')} MB, {m.get('runtime')}")
    w(f"- commit: `{first.get('git_commit')}`")
    w("- pinning: every server process on CPU 0 (`taskset -c 0`), the load generator on CPU 1 (`taskset -c 1`)")
    quota = server_quota(out)
    if quota < 1.0:
        w(f"- server CPU quota: every server process held to {quota} of a core (`bench/run --server-cpu {quota}`, "
          "a CFS quota per 10 ms period): ceilings and CPU below are for that share of a core")
    repeats = max(len(rs) for rs in runs.values())
    w(f"- each cell: the median over {repeats} run(s); warm-up {get(first, 'parameters.warmup_s')} s excluded, "
      f"{get(first, 'parameters.duration_s')} s measured; ratio = AkkaGame (1 node) / peer "
      "(for latencies and CPU, > 1 means AkkaGame is worse; for throughputs, < 1 means AkkaGame is worse)")
    w("")

    # Headline table: one row per case and metric, one column per system, then ratios.
    header = ["case", "metric"] + [SYSTEM_NAME.get(s, s) for s in systems]
    if "akka" in systems:
        header += [f"akka / {SYSTEM_NAME.get(p, p)}" for p in peers]
    w("| " + " | ".join(header) + " |")
    w("|" + "---|" * len(header))
    for case in cases:
        scenario = next(rs[0]["scenario"] for (s, c), rs in runs.items() if c == case)
        for label, path, _, digits in METRICS.get(scenario, []):
            vals = {s: median([get(r, path) for r in runs.get((s, case), [])]) for s in systems}
            row = [case, label] + [fmt(vals[s], digits) for s in systems]
            if "akka" in systems:
                for p in peers:
                    a, b = vals.get("akka"), vals.get(p)
                    row.append(f"{a / b:.2f}" if a is not None and b not in (None, 0) else "-")
            w("| " + " | ".join(row) + " |")
        trouble_row = [case, "errors (not COOLDOWN)+disconnects+lost+not ready"] + [
            fmt(median([trouble(r) for r in runs.get((s, case), [])]), 0) for s in systems]
        if "akka" in systems:
            trouble_row += [""] * len(peers)
        w("| " + " | ".join(trouble_row) + " |")
    w("")

    # Ceilings, one table per load sweep.
    sweeps = {}  # family -> system -> [(load, clients, runs)]
    loads_of = {}  # family -> {load: clients}
    for (s, c), rs in runs.items():
        family = sweep_of(c)
        if family:
            load = get(rs[0], "parameters.offered_actions_per_s")
            sweeps.setdefault(family, {}).setdefault(s, []).append((load, get(rs[0], "parameters.clients"), rs))
            loads_of.setdefault(family, {})[load] = get(rs[0], "parameters.clients")
    for family in [f for f in SWEEPS if f in sweeps]:
        w(f"## Ceiling, {SWEEPS[family]}")
        w("")
        w(f"The ceiling is the lowest offered load at which the median p99 input-to-state passes {CEILING_MS:.0f} ms "
          "or any error, disconnect or loss appears. `skipped`: every repeat of that system had already passed its "
          f"ceiling at a lower load. `gen` marks a median load-generator CPU of {GENERATOR_BUSY_CORES} cores or more "
          "(its own core nearly full, so part of the latency may be the generator's); `late` is the share of sends "
          "more than 10 ms after their slot; `send-delay p99` (runs since the generator records it) is the p99 of the "
          "generator's own delay from slot to send, which every latency includes. A ceiling marked generator-bound was "
          f"passed while the generator was busy (`gen`) or its send-delay p99 was {CEILING_MS / 2:.0f} ms or more, and the "
          f"server used less than {SERVER_BUSY_CORES * quota:.2f} cores (90% of what it may use): a lower bound for the server.")
        w("")
        w("| system | ceiling | p99 input-to-state (ms) and server CPU (cores) at each load |")
        w("|---|---|---|")
        for s in systems:
            points = {load: (clients, rs) for load, clients, rs in sweeps[family].get(s, [])}
            if not points:
                continue
            ceiling = None
            cells = []
            for load in sorted(loads_of[family]):
                clients = loads_of[family][load]
                if load not in points:
                    cells.append(f"{load:.0f}/s: skipped")
                    continue
                _, rs = points[load]
                p99 = median([get(r, "latency.input.p99_ms") for r in rs])
                cpu = median([get(r, "server.cpu_cores_used") for r in rs])
                gen = median([get(r, "client.cpu_cores_used") for r in rs])
                late = median([get(r, "counters.late_sends_over_10ms", 0) / max(1, get(r, "counters.messages_out", 1)) for r in rs])
                delay = median([get(r, "latency.generator_send_delay.p99_ms") for r in rs])
                bad = median([trouble(r) for r in rs])
                marks = ""
                if bad:
                    marks += f" [{fmt(bad, 0)} errors/lost]"
                if gen is not None and gen >= GENERATOR_BUSY_CORES:
                    marks += f" gen {gen:.2f}"
                if late and late >= 0.01:
                    marks += f" late {late:.0%}"
                if delay is not None and delay >= 5:
                    marks += f" send-delay p99 {fmt(delay)} ms"
                reps = "" if len(rs) == max(len(x) for x in runs.values()) else f" (n={len(rs)})"
                cells.append(f"{load:.0f}/s ({clients} cl): {fmt(p99)} ms, {fmt(cpu, 2)} cores{marks}{reps}")
                if ceiling is None and (p99 is None or p99 > CEILING_MS or bad):
                    ceiling = f"{load:.0f} MoveTo/s ({clients} clients)"
                    generator_late = (gen is not None and gen >= GENERATOR_BUSY_CORES) or (delay is not None and delay >= CEILING_MS / 2)
                    if not bad and generator_late and cpu is not None and cpu < SERVER_BUSY_CORES * quota:
                        # The generator, not the server, ran out of core: the server's own ceiling is higher.
                        ceiling += f", generator-bound (server {cpu:.2f} cores): the server's is higher"
            if ceiling is None:
                ceiling = f"> {max(points):.0f} MoveTo/s (not reached)"
            if family == "capacity":
                # The figure users compare: the most clients held within the bar, the load below the ceiling.
                held = [points[load][0] for load in sorted(points) if ceiling.startswith("> ") or load < float(ceiling.split()[0])]
                ceiling = f"holds {held[-1] if held else 'fewer than the lowest load'} clients; " + ceiling
            w(f"| {SYSTEM_NAME.get(s, s)} | {ceiling} | {'; '.join(cells)} |")
        w("")

    # Detail per run, for the curious: the medians hide the spread.
    w("## Every run")
    w("")
    w("| system | case | repeat | main p50 ms | main p99 ms | ping p99 ms | server CPU | client CPU | server RSS MB | errors | disconnects | late sends (>10 ms after slot) |")
    w("|---|---|---|---|---|---|---|---|---|---|---|---|")
    main_metric = {"idle": "ping", "movers": "input", "hot-sector": "input", "economy": "mine", "storm": "connect", "churn": "jump"}
    for case in cases:
        for s in systems:
            for i, r in enumerate(runs.get((s, case), []), 1):
                mm = main_metric.get(r["scenario"], "input")
                w(f"| {SYSTEM_NAME.get(s, s)} | {case} | {i} | {fmt(get(r, f'latency.{mm}.p50_ms'))} | {fmt(get(r, f'latency.{mm}.p99_ms'))} | "
                  f"{fmt(get(r, 'latency.ping.p99_ms'))} | {fmt(get(r, 'server.cpu_cores_used'), 2)} | {fmt(get(r, 'client.cpu_cores_used'), 2)} | "
                  f"{fmt(get(r, 'server.rss_at_end_mb'))} | {get(r, 'counters.errors', 0)} {json.dumps(get(r, 'counters.errors_by_code', {}))} | {get(r, 'counters.disconnects', 0)} | {get(r, 'counters.late_sends_over_10ms', 0)} |")
    w("")

    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write("\n".join(lines))

    # Data for the charts.
    gp = [
        "set terminal pngcairo size 1000,600 font 'Sans,11' noenhanced",
        "set key top left",
        "set grid",
    ]
    titles = {
        "movers": ("latency-vs-load", "server-cpu-vs-load", "offered load (MoveTo per second; 2 per client, 16 sectors)"),
        "inputs": ("latency-vs-inputs", "server-cpu-vs-inputs", "offered load (MoveTo per second; 40 per client, 64 sectors)"),
        "capacity": ("latency-vs-clients", "server-cpu-vs-clients", "clients (1 MoveTo per second each, 64 sectors)"),
    }
    quota = server_quota(out)
    held = f"; servers held to {quota} core" if quota < 1.0 else ""
    for family, (lat_png, cpu_png, xlabel) in titles.items():
        series = [(s, sorted(sweeps.get(family, {}).get(s, []), key=lambda p: p[0])) for s in systems]
        series = [(s, pts) for s, pts in series if pts]
        if not series:
            continue
        with open(os.path.join(out, f"{family}.dat"), "w") as f:
            for s, points in series:
                f.write(f'"{SYSTEM_NAME.get(s, s)}"\n')
                for load, clients, rs in points:
                    vals = [median([get(r, f"latency.input.{p}") for r in rs]) for p in ("p50_ms", "p90_ms", "p99_ms", "p999_ms")]
                    cpu = median([get(r, "server.cpu_cores_used") for r in rs])
                    f.write(f"{load} " + " ".join(fmt(v, 3) if v is not None else "NaN" for v in vals) + f" {fmt(cpu, 3)}\n")
                f.write("\n\n")
        n = len(series)
        gp += [
            f"set output '{lat_png}.png'",
            f"set title '{family}: input-to-state latency (MoveTo -> own Ship.last_input_seq) against offered load{held}'",
            f"set xlabel '{xlabel}'",
            "set ylabel 'latency (ms, log scale)'",
            "set logscale y",
            f"set arrow from graph 0, first {CEILING_MS} to graph 1, first {CEILING_MS} nohead dt 3 lc rgb 'red'",
            f"plot for [i=0:{n - 1}] '{family}.dat' index i using 1:4 with linespoints lw 2 pt 7 lc i+1 title columnheader(1).' p99', "
            f"for [i=0:{n - 1}] '{family}.dat' index i using 1:2 with linespoints dt 2 pt 6 lc i+1 title columnheader(1).' p50'",
            "unset arrow",
            "unset logscale y",
            f"set output '{cpu_png}.png'",
            f"set title '{family}: server CPU (cores, from /proc/PID/stat) against offered load; server pinned to 1 core{held}'",
            "set ylabel 'server CPU (cores)'",
            "set yrange [0:*]",
            f"plot for [i=0:{n - 1}] '{family}.dat' index i using 1:6 with linespoints lw 2 pt 7 lc i+1 title columnheader(1)",
            "set yrange [*:*]",
        ]
    gp += crowd_charts(out, runs, systems)
    gp += crowd_charts(out, runs, systems, "crowd-predicted")
    idle_case = next((c for c in cases if c.startswith("idle")), None)
    if idle_case:
        with open(os.path.join(out, "memory.dat"), "w") as f:
            for s in systems:
                v = median([get(r, "server.rss_per_connection_kb") for r in runs.get((s, idle_case), [])])
                if v is not None:
                    f.write(f'"{SYSTEM_NAME.get(s, s)}" {v:.1f}\n')
        gp += [
            "set output 'memory-per-connection.png'",
            f"set title 'idle ({idle_case}): server RSS growth per connection (KB)'",
            "set xlabel ''",
            "set ylabel 'KB per connection'",
            "set style fill solid 0.6",
            "set boxwidth 0.6",
            "set yrange [0:*]",
            "unset key",
            "plot 'memory.dat' using 0:2:xtic(1) with boxes lc rgb '#4477aa', '' using 0:2:(sprintf('%.0f', $2)) with labels offset 0,1",
        ]
    with open(os.path.join(out, "charts.gp"), "w") as f:
        f.write("\n".join(gp) + "\n")
    print(os.path.join(out, "summary.md"))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--past-ceiling":
        with open(sys.argv[2]) as f:
            sys.exit(0 if past_ceiling(json.load(f)) else 1)
    sys.exit(main(sys.argv[1]))
