#!/usr/bin/env bash
# Runtime counters only (no perf): one system build, one load; prints work items/s, CPU, allocation.
# usage: wi.sh WORKTREE OUTDIR -- bots args
set -euo pipefail
wt=$1; out=$2; shift 2; [ "${1:-}" = "--" ] && shift
cd "$wt"; mkdir -p "$out"
export BENCH_READY_TO_RUN=1 PATH="$PATH:$HOME/.dotnet/tools:/tmp/dtools"
command -v dotnet-counters >/dev/null || dotnet tool install --tool-path /tmp/dtools dotnet-counters >/dev/null
. bench/scripts/systems.sh
for p in node bots; do build_program "$p" "$out/build-$p.log" >/dev/null; done
secret="bench-secret-0123456789abcdef-0123"
env ${SERVER_ENV:-} taskset -c 0 dotnet "$(program_dll node)" --game-port 0 --ops-port 0 --http-port 0 --ws-port 0 --data-dir "$(mktemp -d)" --auth-secret "$secret" >"$out/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; sleep 2; kill -KILL $server 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do grep -q "node ready" "$out/server.log" && break; sleep 0.25; done
endpoint=$(grep -o "game clients on [0-9.]*:[0-9]*" "$out/server.log" | head -1 | awk '{print $4}')
taskset -c 1 timeout 200 dotnet "$(program_dll bots)" "$@" --endpoints "$endpoint" --server-pid "$server" --auth-secret "$secret" --warmup 10s --duration 10s >"$out/bots.log" 2>&1 &
bots=$!
sleep 2
sleep 1
taskset -c 1 dotnet-counters collect -p "$server" --counters System.Runtime --refresh-interval 1 --format csv -o "$out/counters.csv" --duration 00:00:00:50 >"$out/counters.log" 2>&1 || true
wait $bots || true
python3 bench/scripts/counters-summary.py "$out/counters.csv" > "$out/counters.txt" 2>&1 || true
printf "%s | %s | %s | %s\n" "$(grep -o 'input-to-state ms: n=[0-9]* p50=[0-9.]* p99=[0-9.]*' $out/bots.log)" "$(grep -o 'server: cpu=[0-9.]*' $out/bots.log)" "$(grep 'work_item.count' $out/counters.txt | awk '{print "work items/s " $1}')" "$(grep 'total_allocated' $out/counters.txt | awk '{printf "alloc MB/s %.1f", $1/1e6}')"
