#!/usr/bin/env bash
# usage: stormcpu.sh OUTDIR; node and bots must be built (R2R)
# NODE_ENV="K=V ..." sets environment variables for the node only (e.g. AKKAGAME_CONFIG=FILE).
set -u
cd ${REPO:-/work/main}
out=$1; mkdir -p $out
secret="bench-secret-0123456789abcdef-0123"
data=$(mktemp -d /tmp/akkagame-stormcpu.XXXXXX)
env ${NODE_ENV:-} taskset -c 0 dotnet src/Node/bin/Release/net10.0/linux-x64/r2r/AkkaGame.Node.dll --game-port 0 --ops-port 0 --http-port 0 --ws-port 0 --data-dir "$data" --auth-secret "$secret" > $out/server.log 2>&1 &
spid=$!
for i in $(seq 1 120); do grep -q "node ready" $out/server.log && break; sleep 0.5; done
ep=$(grep -o "game clients on [0-9.]*:[0-9]*" $out/server.log | head -1 | awk '{print $4}')
ticks() { awk '{print $14+$15}' /proc/$spid/stat; }
( for i in $(seq 1 40); do echo "$(date +%s.%N | cut -c1-14) $(ticks)"; sleep 0.25; done ) > $out/ticks.txt &
tp=$!
t0=$(ticks)
taskset -c 1 timeout 120 dotnet src/Bots/bin/Release/net10.0/linux-x64/r2r/AkkaGame.Bots.dll --scenario storm --clients 1000 --ramp 200 --endpoints $ep --server-pid $spid --auth-secret $secret --duration 2s --warmup 0s --seed 1 --label akka > $out/bots.log 2>&1
t1=$(ticks)
wait $tp
kill $spid; wait $spid 2>/dev/null
rm -rf $data
grep "connect->Welcome" $out/bots.log
echo "node cpu over storm+2s: $(( (t1-t0)*10 )) ms"
awk 'NR>1{printf "%s ", ($2-p)*10*4 "%"} {p=$2} END{print ""}' $out/ticks.txt
