#!/usr/bin/env bash
# crowd-predicted-1000 with interest radius 150 (crowd.conf) after the grid lists only steered
# ships for groups that predict motion, three runs (compare radius-ab/radius150-r*).
D=$(cd "$(dirname "$0")" && pwd)
cd /work/main
for r in 1 2 3; do
  bench/run --systems akka --cases crowd-predicted-1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/radius-lists/radius150-r$r
done
echo done > $D/DONE-radius-lists
