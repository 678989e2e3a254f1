#!/usr/bin/env bash
# crowd-1000, AkkaGame alone, interleaved: 3x3 radius-wide cells (k1) against 4 cells per radius (k4), then k4 on a battle node.
D=$(cd "$(dirname "$0")" && pwd)
cd /work/main
for r in 1 2; do
  for v in k1 k4 k4-battle; do
    bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/$v.conf --out $D/$v-r$r
  done
done
echo done > $D/DONE
