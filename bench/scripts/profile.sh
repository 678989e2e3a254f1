#!/usr/bin/env bash
# Profile one system under one load-generator case: per-thread CPU (/proc) and a perf sampling
# profile with .NET JIT symbols (DOTNET_PerfMapEnabled=1 writes /tmp/perf-PID.map).
# Server pinned to CPU 0, load generator to CPU 1, as in bench/run.
#
#   bench/scripts/profile.sh akka|raw-async|thread-per-client|orleans OUTDIR -- LOAD-GENERATOR ARGS...
#
# Example: bench/scripts/profile.sh akka /tmp/prof -- --scenario movers --clients 800 --sectors 16 --rate 2
set -euo pipefail
cd "$(dirname "$0")/../.."
sys=$1
out=$2
shift 2
[ "${1:-}" = "--" ] && shift
mkdir -p "$out"
secret="bench-secret-0123456789abcdef-0123"
case "$sys" in
  akka) dll=src/Node/bin/Release/net10.0/AkkaGame.Node.dll; extra=(--game-port 0 --ops-port 0 --data-dir "$(mktemp -d)"); ready="node ready"; pat="game clients on [0-9.]*:[0-9]*"; col=4 ;;
  raw-async) dll=bench/RawAsync/bin/Release/net10.0/AkkaGame.Bench.RawAsync.dll; extra=(--port 0); ready="ready on"; pat="ready on [0-9.]*:[0-9]*"; col=3 ;;
  thread-per-client) dll=bench/ThreadPerClient/bin/Release/net10.0/AkkaGame.Bench.ThreadPerClient.dll; extra=(--port 0); ready="ready on"; pat="ready on [0-9.]*:[0-9]*"; col=3 ;;
  orleans) dll=bench/Orleans/bin/Release/net10.0/AkkaGame.Bench.Orleans.dll; extra=(--port 0); ready="ready on"; pat="ready on [0-9.]*:[0-9]*"; col=3 ;;
  *) echo "unknown system $sys" >&2; exit 2 ;;
esac

DOTNET_PerfMapEnabled=1 taskset -c 0 dotnet "$dll" "${extra[@]}" --auth-secret "$secret" >"$out/$sys.server.log" 2>&1 &
server=$!
bots=""
cleanup() {
  [ -n "$bots" ] && kill "$bots" 2>/dev/null || true
  kill -TERM "$server" 2>/dev/null || true
  sleep 2
  kill -KILL "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 240); do grep -q "$ready" "$out/$sys.server.log" && break; sleep 0.25; done
endpoint=$(grep -o "$pat" "$out/$sys.server.log" | head -1 | awk -v c="$col" '{print $c}')

taskset -c 1 timeout 200 dotnet src/Bots/bin/Release/net10.0/AkkaGame.Bots.dll "$@" --endpoints "$endpoint" \
  --server-pid "$server" --auth-secret "$secret" --warmup 5s --duration 30s --json "$out/$sys.json" >"$out/$sys.bots.log" 2>&1 &
bots=$!
# Sample inside the measured window: after connect + set-up + warm-up.
for _ in $(seq 1 240); do grep -q " measure " "$out/$sys.bots.log" && break; sleep 0.25; done
sleep 2
bench/scripts/thread-cpu.sh "$server" 10 >"$out/$sys.threads.txt" &
threads=$!
perf record -F 499 -g -e cpu-clock -p "$server" -o "$out/$sys.perf.data" -- sleep 10 >"$out/$sys.perf-record.log" 2>&1 || echo "perf record failed" >&2
wait "$threads"
wait "$bots" || true
bots=""
perf report -i "$out/$sys.perf.data" --no-children --sort dso,symbol --stdio 2>/dev/null | grep -v "^#" | grep -v "^$" | grep "%" | head -40 >"$out/$sys.perf-top.txt" || true
perf report -i "$out/$sys.perf.data" --no-children --sort dso --stdio 2>/dev/null | grep "%" | head -15 >"$out/$sys.perf-dso.txt" || true
rm -f "$out/$sys.perf.data"
echo "$out/$sys.threads.txt $out/$sys.perf-top.txt $out/$sys.perf-dso.txt"
