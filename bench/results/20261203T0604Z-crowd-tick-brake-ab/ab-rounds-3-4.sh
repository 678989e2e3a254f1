#!/bin/bash
# crowd A/B: old = 6a025e8 (before today's changes), tick = 320ffed (the lighter tick only), new = HEAD ce06fd7 (tick + brake); alternating, 2 rounds
set -u
out=/work/main/bench/results/20261203T0604Z-crowd-tick-brake-ab
mkdir -p $out
for round in 3 4; do
  for side in old tick new; do
    case $side in old) dir=/tmp/wt-old ;; tick) dir=/tmp/wt-tick ;; new) dir=/work/main ;; esac
    (cd $dir && timeout 1200 bench/run --systems akka --cases crowd --crowd 1000,2000 --warmup 10s --server-env AKKAGAME_CONFIG=/tmp/crowd.conf --out $out/$side-r$round > $out/$side-r$round.log 2>&1)
  done
done
echo done > $out/DONE
