#!/usr/bin/env bash
# A local AkkaGame cluster in one command, on loopback: a private PostgreSQL, the lighthouse
# and N game nodes (default 3), each on its own ports. Prints where game clients and operators
# connect, and stops everything (by PID) on Ctrl+C.
#
#   scripts/local-cluster.sh [N]
#
# Ports: lighthouse 4053; node i (1..N): game 7776+i, cluster 5000+i, ops 9110+i
# (the lighthouse's ops endpoint is 9110). PostgreSQL: 55432 (AKKAGAME_PG_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."

nodes=${1:-3}
secret=${AKKAGAME_AUTH_SECRET:-local-cluster-secret-change-me-0123456789}
logs=$(mktemp -d /tmp/akkagame-cluster.XXXXXX)
pids=()

stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping: nodes first (graceful), then the lighthouse and PostgreSQL"
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill -TERM "${pids[$i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  scripts/postgres.sh stop
  echo "stopped; logs are in $logs"
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

wait_ready() { # file pattern name
  for _ in $(seq 1 180); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "$3 did not become ready; see $1" >&2
  exit 1
}

echo "building (Release)"
dotnet build -c Release src/Node/Node.csproj -v quiet -nologo >/dev/null
dotnet build -c Release src/Lighthouse/Lighthouse.csproj -v quiet -nologo >/dev/null

scripts/postgres.sh start
db=$(scripts/postgres.sh url)

# The usual Lighthouse setup: the lighthouse seeds itself and the nodes name only it. A
# restarted lighthouse rejoins the running cluster through the members it remembers (--data-dir).
lighthouse="akka.tcp://akkagame@127.0.0.1:4053"
seeds="$lighthouse"

dotnet src/Lighthouse/bin/Release/net10.0/AkkaGame.Lighthouse.dll --akka-port 4053 --seeds "$seeds" --http-port 8080 \
  --data-dir "$logs/lighthouse" >"$logs/lighthouse.log" 2>&1 &
pids+=($!)
wait_ready "$logs/lighthouse.log" "lighthouse ready" lighthouse

endpoints=()
for i in $(seq 1 "$nodes"); do
  dotnet src/Node/bin/Release/net10.0/AkkaGame.Node.dll \
    --akka-port $((5000 + i)) --seeds "$seeds" --game-port $((7776 + i)) --ops-port $((9110 + i)) --http-port $((8080 + i)) --ws-port $((7780 + i)) \
    --db-provider postgres --db "$db" --auth-secret "$secret" --allow-guests true \
    --data-dir "$logs/node$i" >"$logs/node$i.log" 2>&1 &
  pids+=($!)
  wait_ready "$logs/node$i.log" "node ready" "node$i"
  endpoints+=("127.0.0.1:$((7776 + i))")
done

joined=$(IFS=,; echo "${endpoints[*]}")
cat <<INFO

AkkaGame cluster running: lighthouse + $nodes nodes on PostgreSQL (127.0.0.1:${AKKAGAME_PG_PORT:-55432})
  game clients:  $joined
  operators:     lighthouse 127.0.0.1:9110, nodes 127.0.0.1:9111..$((9110 + nodes))
  bots:          dotnet run -c Release --project src/Bots -- --endpoints $joined --bots 100
  tokens:        dotnet run --project src/Node -- token mint PLAYER NAME --auth-secret '$secret'
  logs:          $logs
Ctrl+C stops everything.
INFO

wait -n "${pids[@]}" || true
echo "a cluster process exited on its own; stopping the rest (see $logs)"
