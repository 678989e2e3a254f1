#!/usr/bin/env bash
# old: HEAD (e2addcd) from a worktree at /tmp/wt-old; new: the working tree in /work/main (the lighter tick).
set -u
D=/work/main/bench/results/20261204T1625Z-lighter-tick-ab
for r in ${ROUNDS:-1 2}; do
  (cd /tmp/wt-old && bench/run --systems akka --cases crowd --crowd 1000,2000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/old-r$r)
  (cd /work/main && bench/run --systems akka --cases crowd --crowd 1000,2000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/new-r$r)
done
echo done > $D/DONE
