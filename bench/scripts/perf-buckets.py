#!/usr/bin/env python3
"""Groups a perf profile by component, so two servers' profiles can be compared at a glance.

Reads `perf report --no-children --sort dso,symbol --stdio -g none` on stdin (lines like
`  3.21%  perf-1234.map  [.] instance void [Akka] Akka.Actor.ActorCell::Invoke(...)`) and prints
each component's share of all samples, largest first. .NET frames are named by the JIT's perf
map (DOTNET_PerfMapEnabled=1), which puts the assembly in brackets; that assembly, or the
namespace when it is missing, picks the component.

    perf report -i perf.data --no-children --sort dso,symbol --stdio -g none | bench/scripts/perf-buckets.py
"""
import re
import sys
from collections import defaultdict

# The dso column may hold spaces ("[JIT] tid 1234" for JIT'd code named by the perf map).
LINE = re.compile(r"^\s*([0-9.]+)%\s+(.+?)\s+\[([.k])\]\s*(.*?)(?:\s+-\s+-\s*)?$")
ASSEMBLY = re.compile(r"\[([A-Za-z][A-Za-z0-9_.]*)\]\s")

# First match wins: (component, test on the managed assembly or namespace).
MANAGED = [
    ("Akka.Streams (stream stages, TCP stage)", ("Akka.Streams",)),
    ("Akka.Cluster.Sharding", ("Akka.Cluster.Sharding",)),
    ("Akka.Persistence (+Sql, linq2db)", ("Akka.Persistence", "linq2db", "LinqToDB")),
    ("Akka.Remote / Cluster", ("Akka.Remote", "Akka.Cluster", "DotNetty")),
    ("Akka.IO (TCP connection actors)", ("Akka.IO",)),
    ("Akka core (mailboxes, dispatch, actor cells)", ("Akka",)),
    ("Orleans", ("Orleans",)),
    ("AkkaGame simulation (game rules)", ("AkkaGame.Node.Simulation",)),
    ("AkkaGame / peer host code", ("AkkaGame",)),
    ("protobuf", ("Google.Protobuf",)),
    ("SQLite (managed)", ("Microsoft.Data.Sqlite", "SQLitePCL")),
    ("System.Net.Sockets", ("System.Net",)),
    ("System.Threading.Channels", ("System.Threading.Channels",)),
    ("BCL: CoreLib (collections, tasks, thread pool, strings)", ("System",)),
]


def component(dso: str, kind: str, symbol: str) -> str:
    if dso.startswith("[kernel") or kind == "k":
        # Scheduling first: "finish_task_switch" would otherwise match the socket pattern "sk_".
        if re.search(r"sched|yield|futex|schedule|task_switch|wake|hrtimer|tick|idle", symbol):
            return "kernel: scheduling, context switch, futex, yield"
        if re.search(r"tcp|inet|sock|skb|ip_|ipv|net_|__dev|loopback|napi|\bsk_", symbol):
            return "kernel: TCP/IP over loopback"
        if re.search(r"epoll|poll|select", symbol):
            return "kernel: epoll"
        if re.search(r"page|mm_|memcg|clear_|alloc|fault|madvise|mprotect", symbol):
            return "kernel: memory"
        return "kernel: other (syscall entry, ...)"
    if "libclrjit" in dso:
        return "runtime: JIT"
    if "libcoreclr" in dso:
        if re.search(r"gc_heap|WKS::|SVR::|GCHeap|gc::|mark_|plan_phase|relocate|memclr|GCToEE", symbol):
            return "runtime: GC"
        return "runtime: other (thread pool, casts, stubs, locks)"
    if "libSystem.Native" in dso:
        return "System.Native (syscall wrappers)"
    if "libc" in dso or "ld-linux" in dso or "libpthread" in dso:
        return "libc"
    if "sqlite" in dso.lower():
        return "SQLite (native)"
    if dso.startswith("[JIT]") or dso.startswith("perf-") or "doublemapper" in dso or dso.endswith(".dll") or dso == "[unknown]":
        if re.fullmatch(r"(0x)?[0-9a-f]+", symbol.strip()) or not symbol.strip():
            return "unresolved managed/stub code"
        m = ASSEMBLY.search(symbol)
        # The assembly when the perf map names one, else the first dotted name in the symbol.
        name = m.group(1) if m else next(iter(re.findall(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_`]+)+", symbol)), "")
        for label, prefixes in MANAGED:
            # "Akka" must not match "AkkaGame": a prefix matches whole dotted parts only.
            if any(name == p or name.startswith(p + ".") for p in prefixes):
                return label
        return "managed: other"
    return "native: " + dso


def main() -> None:
    shares: dict[str, float] = defaultdict(float)
    top: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for line in sys.stdin:
        m = LINE.match(line)
        if not m:
            continue
        pct, dso, kind, symbol = float(m.group(1)), m.group(2), m.group(3), m.group(4).strip()
        c = component(dso, kind, symbol)
        shares[c] += pct
        top[c].append((pct, symbol))
    total = sum(shares.values())
    print(f"{'share':>7}  component  (top symbols)")
    for c, pct in sorted(shares.items(), key=lambda kv: -kv[1]):
        syms = sorted(top[c], reverse=True)[:3]
        names = "; ".join(f"{s[:90]} {p:.1f}%" for p, s in syms)
        print(f"{pct:6.1f}%  {c}  ({names})")
    print(f"{total:6.1f}%  total of listed samples")


if __name__ == "__main__":
    main()
