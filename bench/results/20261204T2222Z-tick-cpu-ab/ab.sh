#!/usr/bin/env bash
# crowd-1000, AkkaGame alone, interleaved: 71a3172 (dilation from the tick's wall time; a worktree
# at /tmp/wt-old) against 31f2b58 (from the tick's CPU time), as shipped (16k) and on a battle node (64k).
D=$(cd "$(dirname "$0")" && pwd)
for r in 1 2; do
  for c in crowd battle; do
    (cd /tmp/wt-old && bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/$c.conf --out $D/wall-$c-r$r)
    (cd /work/main && bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/$c.conf --out $D/cpu-$c-r$r)
  done
done
echo done > $D/DONE
