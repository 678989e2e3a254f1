#!/usr/bin/env bash
# usage: stormprof.sh OUTDIR; NODE_ENV="K=V ..." sets environment variables for the node only.
set -u
cd /work/main
out=$1; mkdir -p $out
secret="bench-secret-0123456789abcdef-0123"
data=$(mktemp -d /tmp/akkagame-stormprof.XXXXXX)
env ${NODE_ENV:-} DOTNET_ReadyToRun=0 DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 taskset -c 0 dotnet src/Node/bin/Release/net10.0/AkkaGame.Node.dll --game-port 0 --ops-port 0 --http-port 0 --ws-port 0 --data-dir "$data" --auth-secret "$secret" > $out/server.log 2>&1 &
spid=$!
for i in $(seq 1 120); do grep -q "node ready" $out/server.log && break; sleep 0.5; done
ep=$(grep -o "game clients on [0-9.]*:[0-9]*" $out/server.log | head -1 | awk '{print $4}')
# warm the JIT with a first small storm on other players, as R2R would have code ready
taskset -c 1 timeout 60 dotnet src/Bots/bin/Release/net10.0/linux-x64/r2r/AkkaGame.Bots.dll --scenario storm --clients 300 --ramp 100 --endpoints $ep --auth-secret $secret --duration 1s --warmup 0s --seed 7 --label warm > $out/bots-warm.log 2>&1
sleep 2
perf record -F 999 -g -e cpu-clock -p $spid -o $out/perf.data -- sleep 6 > $out/perf-record.log 2>&1 &
pp=$!
taskset -c 1 timeout 120 dotnet src/Bots/bin/Release/net10.0/linux-x64/r2r/AkkaGame.Bots.dll --scenario storm --clients 1000 --ramp 200 --endpoints $ep --server-pid $spid --auth-secret $secret --duration 2s --warmup 0s --seed 1 --label akka > $out/bots.log 2>&1
wait $pp
kill $spid; wait $spid 2>/dev/null
rm -rf $data
grep "connect->Welcome" $out/bots-warm.log $out/bots.log
