#!/usr/bin/env bash
# usage: crowdprobe.sh OUT N ; node R2R build in src/Node/bin/Release/net10.0/linux-x64/r2r; NODE_ENV for node env
set -u
cd /work/main
out=$1; n=$2; mkdir -p $out
secret="bench-secret-0123456789abcdef-0123"
data=$(mktemp -d /tmp/akkagame-crowd.XXXXXX)
env ${NODE_ENV:-} AKKAGAME_CONFIG=/work/main/bench/results/20261203T1640Z-crowd-conflation/crowd.conf taskset -c 0 dotnet src/Node/bin/Release/net10.0/linux-x64/r2r/AkkaGame.Node.dll --game-port 0 --ops-port 0 --http-port 18099 --ws-port 0 --data-dir "$data" --auth-secret "$secret" > $out/server.log 2>&1 &
spid=$!
for i in $(seq 1 120); do grep -q "node ready" $out/server.log && break; sleep 0.5; done
ep=$(grep -o "game clients on [0-9.]*:[0-9]*" $out/server.log | head -1 | awk '{print $4}')
( for i in $(seq 1 60); do echo "== $(date +%T)"; curl -s -m 2 http://127.0.0.1:18099/metrics | grep -E "^akkagame_(deltas_skipped|resyncs|sector_time_dilation|players|errors_fatal|sent_bytes|messages_sent)" ; sleep 2; done ) > $out/metrics.txt 2>&1 &
mp=$!
taskset -c 1 timeout 150 dotnet src/Bots/bin/Release/net10.0/linux-x64/r2r/AkkaGame.Bots.dll --scenario hot-sector --clients $n --sectors 1 --rate 1 --ramp 100 --endpoints $ep --server-pid $spid --auth-secret $secret --duration 20s --warmup 10s --seed 1 --label akka > $out/bots.log 2>&1
kill $mp 2>/dev/null
kill $spid; wait $spid 2>/dev/null
rm -rf $data
grep -E "input-to-state|disconnects|received" $out/bots.log
