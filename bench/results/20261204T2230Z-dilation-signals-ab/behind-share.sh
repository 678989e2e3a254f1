#!/usr/bin/env bash
# crowd-1000 at 3f4b1c6 on a battle node, with dilation's behind signal at 0.3 and 0.5 of the players, two rounds.
D=$(cd "$(dirname "$0")" && pwd)
cd /work/main
for r in 1 2; do
  for s in 0.3 0.5; do
    bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/battle-behind-$s.conf --out $D/new-battle-behind-$s-r$r
  done
done
echo done > $D/DONE-behind-share
