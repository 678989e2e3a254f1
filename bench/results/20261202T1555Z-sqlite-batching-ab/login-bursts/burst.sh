#!/bin/bash
# usage: burst.sh LABEL [strace]  -- one node on SQLite, 200 logins at 300/s, then metrics
set -u
L=$1; rm -rf /tmp/lat-data; cd /work/main
if [ "${2:-}" = strace ]; then
  strace -f -e trace=fsync,fdatasync -y -o /tmp/lat/$L.strace dotnet src/Node/bin/Release/net10.0/AkkaGame.Node.dll --game-port 7791 --http-port 7792 --ws-port 0 --ops-port 0 --data-dir /tmp/lat-data > /tmp/lat/$L.node.log 2>&1 &
else
  dotnet src/Node/bin/Release/net10.0/AkkaGame.Node.dll --game-port 7791 --http-port 7792 --ws-port 0 --ops-port 0 --data-dir /tmp/lat-data > /tmp/lat/$L.node.log 2>&1 &
fi
NP=$!
for i in $(seq 1 60); do grep -q -i "ready" /tmp/lat/$L.node.log && break; sleep 0.5; done
sleep 1
[ "${2:-}" = strace ] && grep -c akkagame.db-wal /tmp/lat/$L.strace > /tmp/lat/$L.before
timeout 60 dotnet src/Bots/bin/Release/net10.0/AkkaGame.Bots.dll --scenario idle --endpoints 127.0.0.1:7791 --clients 200 --ramp 300 --rate 1 --warmup 1s --duration 2s > /tmp/lat/$L.bots.txt 2>&1
curl -s 127.0.0.1:7792/metrics | grep persistence_write_duration > /tmp/lat/$L.metrics
[ "${2:-}" = strace ] && grep -c akkagame.db-wal /tmp/lat/$L.strace > /tmp/lat/$L.after
if [ "${2:-}" = strace ]; then kill $(ps --ppid $NP -o pid=); else kill $NP; fi; wait $NP 2>/dev/null
