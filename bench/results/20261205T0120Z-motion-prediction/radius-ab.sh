#!/usr/bin/env bash
# crowd-predicted-1000: AkkaGame with interest radius 150 (crowd.conf) against the whole-sector
# view (no configuration), three interleaved rounds.
D=$(cd "$(dirname "$0")" && pwd)
cd /work/main
for r in 1 2 3; do
  bench/run --systems akka --cases crowd-predicted-1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/radius-ab/radius150-r$r
  bench/run --systems akka --cases crowd-predicted-1000 --warmup 10s --out $D/radius-ab/whole-r$r
done
echo done > $D/DONE-radius-ab
