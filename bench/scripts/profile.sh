#!/usr/bin/env bash
# Profile one system under one load-generator case: per-thread CPU (/proc) and a perf sampling
# profile with .NET JIT symbols (DOTNET_PerfMapEnabled=1 writes /tmp/perf-PID.map; W^X off so the
# map's addresses are the ones that execute), then the samples grouped by component
# (bench/scripts/perf-buckets.py).
# Beside them, the runtime's own counters (GC, allocation rate, thread pool) from dotnet-counters.
# With --heap instead: a dump of the live managed heap inside the measured window (dotnet-gcdump,
# installed as a global .NET tool when missing), reported by type, to split memory per connection.
# Builds the system and the load generator first (bench/scripts/systems.sh): the plain Release build, or
# published ReadyToRun as bench/run runs them when BENCH_READY_TO_RUN=1 is set.
# Server pinned to CPU 0, load generator to CPU 1, as in bench/run.
#
# With --connect: the CPU profile covers the connect phase instead (logins, as in a storm): it
# starts as the load generator starts and lasts 8 s.
#
#   bench/scripts/profile.sh [--heap|--connect] akka|raw-async|thread-per-client|orleans OUTDIR -- LOAD-GENERATOR ARGS...
#
# Example: bench/scripts/profile.sh akka /tmp/prof -- --scenario movers --clients 800 --sectors 16 --rate 2
#          bench/scripts/profile.sh --heap akka /tmp/prof -- --scenario idle --clients 1000 --rate 1
set -euo pipefail
cd "$(dirname "$0")/../.."
heap=false
connect=false
if [ "${1:-}" = "--heap" ]; then heap=true; shift; fi
if [ "${1:-}" = "--connect" ]; then connect=true; shift; fi
sys=$1
out=$2
shift 2
[ "${1:-}" = "--" ] && shift
mkdir -p "$out"
# File names: SYSTEM.* for the CPU profile, SYSTEM.heap.* for the load-generator and server output of a heap run.
run=$sys
$heap && run=$sys.heap
# dotnet-gcdump (--heap) and dotnet-counters (runtime counters beside the CPU profile), as global
# .NET tools from the package registry, installed when missing.
export PATH="$PATH:$HOME/.dotnet/tools"
command -v dotnet-gcdump >/dev/null || dotnet tool install --global dotnet-gcdump >/dev/null
command -v dotnet-counters >/dev/null || dotnet tool install --global dotnet-counters >/dev/null
secret="bench-secret-0123456789abcdef-0123"
# shellcheck source=bench/scripts/systems.sh
. bench/scripts/systems.sh
case "$sys" in
  akka) program=node; extra=(--game-port 0 --ops-port 0 --http-port 0 --ws-port 0 --data-dir "$(mktemp -d)"); ready="node ready"; pat="game clients on [0-9.]*:[0-9]*"; col=4 ;;
  raw-async) program=$sys; extra=(--port 0); ready="ready on"; pat="ready on [0-9.]*:[0-9]*"; col=3 ;;
  thread-per-client) program=$sys; extra=(--port 0); ready="ready on"; pat="ready on [0-9.]*:[0-9]*"; col=3 ;;
  orleans) program=$sys; extra=(--port 0); ready="ready on"; pat="ready on [0-9.]*:[0-9]*"; col=3 ;;
  *) echo "unknown system $sys" >&2; exit 2 ;;
esac
for p in "$program" bots; do
  build_program "$p" "$out/build-$p.log" || { echo "build of $(program_project "$p") failed: $out/build-$p.log" >&2; exit 1; }
done
dll=$(program_dll "$program")

DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 0 dotnet "$dll" "${extra[@]}" --auth-secret "$secret" >"$out/$run.server.log" 2>&1 &
server=$!
bots=""
cleanup() {
  [ -n "$bots" ] && kill "$bots" 2>/dev/null || true
  kill -TERM "$server" 2>/dev/null || true
  sleep 2
  kill -KILL "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 240); do grep -q "$ready" "$out/$run.server.log" && break; sleep 0.25; done
endpoint=$(grep -o "$pat" "$out/$run.server.log" | head -1 | awk -v c="$col" '{print $c}')

taskset -c 1 timeout 200 dotnet "$(program_dll bots)" "$@" --endpoints "$endpoint" \
  --server-pid "$server" --auth-secret "$secret" --warmup 5s --duration 30s --json "$out/$run.json" >"$out/$run.bots.log" 2>&1 &
bots=$!
# Sample inside the measured window (after connect + set-up + warm-up), or from the first connects.
seconds=10
if $connect; then
  seconds=8
  sleep 0.5
else
  for _ in $(seq 1 240); do grep -q " measure " "$out/$run.bots.log" && break; sleep 0.25; done
  sleep 2
fi
if $heap; then
  # The dump forces a full collection first, so it holds live objects only; RSS beside it.
  grep -E "^(VmRSS|RssAnon|RssFile)" /proc/"$server"/status >"$out/$sys.heap-rss.txt"
  dotnet-gcdump collect -p "$server" -o "$out/$sys.gcdump" >"$out/$sys.gcdump.log" 2>&1 || echo "gcdump collect failed" >&2
  wait "$bots" || true
  bots=""
  # The report lists one row per type and size class with the size of one object and the count;
  # the summary multiplies them and sorts by the total.
  dotnet-gcdump report "$out/$sys.gcdump" >"$out/$sys.heap-report.txt" 2>&1 || true
  python3 bench/scripts/heap-by-type.py "$out/$sys.heap-report.txt" >"$out/$sys.heap-types.txt" || true
  rm -f "$out/$sys.gcdump"
  echo "$out/$sys.heap-types.txt $out/$sys.heap-rss.txt"
  exit 0
fi
bench/scripts/thread-cpu.sh "$server" "$seconds" >"$out/$sys.threads.txt" &
threads=$!
# GC, allocation and thread-pool counters over the same 10 s; the tool runs on the generator's core.
taskset -c 1 dotnet-counters collect -p "$server" --counters System.Runtime --refresh-interval 1 --format csv \
  -o "$out/$sys.counters.csv" --duration "00:00:00:$(printf %02d "$seconds")" >"$out/$sys.counters.log" 2>&1 &
counters=$!
perf record -F 499 -g -e cpu-clock -p "$server" -o "$out/$sys.perf.data" -- sleep "$seconds" >"$out/$sys.perf-record.log" 2>&1 || echo "perf record failed" >&2
wait "$threads"
wait "$counters" || echo "dotnet-counters failed (see $out/$sys.counters.log)" >&2
python3 bench/scripts/counters-summary.py "$out/$sys.counters.csv" >"$out/$sys.counters.txt" 2>&1 || true
wait "$bots" || true
bots=""
# The whole flat report is kept (compressed) so it can be grouped again without the perf data;
# its first 40 rows are the top list.
perf report -i "$out/$sys.perf.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null | grep "%" | sed 's/ *- *- *$//' | gzip >"$out/$sys.perf-report.txt.gz" || true
zcat "$out/$sys.perf-report.txt.gz" | head -40 >"$out/$sys.perf-top.txt" || true
perf report -i "$out/$sys.perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep "%" | head -15 >"$out/$sys.perf-dso.txt" || true
zcat "$out/$sys.perf-report.txt.gz" | python3 bench/scripts/perf-buckets.py >"$out/$sys.perf-buckets.txt" || true
# PROFILE_KEEP_PERF_DATA=1 keeps the perf data, for call graphs (perf report -g caller).
[ "${PROFILE_KEEP_PERF_DATA:-0}" = 1 ] || rm -f "$out/$sys.perf.data"
echo "$out/$sys.threads.txt $out/$sys.counters.txt $out/$sys.perf-top.txt $out/$sys.perf-dso.txt $out/$sys.perf-buckets.txt"
