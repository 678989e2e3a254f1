#!/bin/bash
# usage: burst2.sh LABEL -- one node on SQLite, two bursts of 200 logins at 300/s (cold, then warm)
set -u
L=$1; rm -rf /tmp/lat-data; cd /work/main
dotnet src/Node/bin/Release/net10.0/AkkaGame.Node.dll --game-port 7791 --http-port 7792 --ws-port 0 --ops-port 0 --data-dir /tmp/lat-data > /tmp/lat/$L.node.log 2>&1 &
NP=$!
for i in $(seq 1 60); do grep -q -i "ready" /tmp/lat/$L.node.log && break; sleep 0.5; done
sleep 1
for b in 1 2 3; do
timeout 60 dotnet src/Bots/bin/Release/net10.0/AkkaGame.Bots.dll --scenario idle --endpoints 127.0.0.1:7791 --clients 200 --ramp 300 --rate 1 --warmup 1s --duration 1s > /tmp/lat/$L.b$b.bots.txt 2>&1
curl -s 127.0.0.1:7792/metrics | grep persistence_write_duration > /tmp/lat/$L.b$b.metrics
done
kill $NP; wait $NP 2>/dev/null
grep -H "connect->Welcome" /tmp/lat/$L.b*.bots.txt
grep -H "_count\|_sum" /tmp/lat/$L.b*.metrics
