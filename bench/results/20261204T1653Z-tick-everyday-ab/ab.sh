#!/usr/bin/env bash
# movers-800 and inputs-300 (whole-sector deltas, which DeltaWriter also writes): e2addcd (a worktree) against 8ffb41a, interleaved
for r in 1 2; do
  (cd /tmp/wt-old && bench/run --systems akka --cases movers-800,inputs-300 --out /work/main/bench/results/20261204T1653Z-tick-everyday-ab/before-r$r)
  (cd /work/main && bench/run --systems akka --cases movers-800,inputs-300 --out /work/main/bench/results/20261204T1653Z-tick-everyday-ab/after-r$r)
done
echo done > /work/main/bench/results/20261204T1653Z-tick-everyday-ab/DONE
