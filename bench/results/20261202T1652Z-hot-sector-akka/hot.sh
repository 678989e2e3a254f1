#!/bin/bash
# usage: hot.sh OUTDIR -- one AkkaGame node (server on CPU 0, generator on CPU 1), hot-sector at
# 1 MoveTo/s per ship in one sector, for each interest radius and ship count; the node's
# time-dilation gauge and tick p99 scraped at the end of each measured window.
set -u
out=$1; mkdir -p "$out"; cd /work/main
secret=hot-sector-secret-0123456789abcdef
{ echo "command: $0 $*"; echo "commit: $(git rev-parse HEAD)"; echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2), $(free -m | awk '/Mem:/{print $2}') MB, $(dotnet --version)"; echo "date: $(date -u +%FT%TZ)"; } > "$out/meta.txt"
for radius in ${RADII:-0 150}; do
  for n in ${COUNTS:-250 500 1000 2000}; do
    label="r$radius-n$n"
    conf=$(mktemp /tmp/hot-conf.XXXXXX); echo "akkagame.sector.interest-radius = $radius" > "$conf"
    data=$(mktemp -d /tmp/hot-data.XXXXXX)
    taskset -c 0 dotnet src/Node/bin/Release/net10.0/AkkaGame.Node.dll --game-port 7795 --http-port 7796 --ws-port 0 --ops-port 0 --data-dir "$data" --auth-secret "$secret" --config "$conf" > "$out/$label.node.log" 2>&1 &
    np=$!
    for i in $(seq 1 60); do grep -q "ready" "$out/$label.node.log" && break; sleep 0.5; done
    timeout 150 taskset -c 1 dotnet src/Bots/bin/Release/net10.0/AkkaGame.Bots.dll --scenario hot-sector --endpoints 127.0.0.1:7795 --clients "$n" --sectors 1 --rate 1 --ramp 300 --warmup 10s --duration 10s --auth-secret "$secret" --server-pid "$np" --json "$out/$label.json" > "$out/$label.bots.txt" 2>&1 &
    bp=$!
    # Scrape during the measured window (connect ~n/300 s, warm-up 10 s, then 10 s measured).
    sleep $(( n / 300 + 16 ))
    curl -s 127.0.0.1:7796/metrics | grep -E "^akkagame_sector_time_dilation|^akkagame_sector_tick_p99" > "$out/$label.metrics"
    wait $bp
    kill $np; wait $np 2>/dev/null
    rm -rf "$data" "$conf"
    echo "$label: $(grep -E 'input-to-state' "$out/$label.bots.txt" | head -1) | $(grep -E '^errors' "$out/$label.bots.txt") | $(tr '\n' ' ' < "$out/$label.metrics")"
  done
done
