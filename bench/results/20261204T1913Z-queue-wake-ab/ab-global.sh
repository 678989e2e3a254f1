#!/usr/bin/env bash
# Below saturation, where server CPU is the measure: the wake-up through the global queue (new:
# the working tree) against 088a5a6 (old, in a worktree), three interleaved rounds.
D=/work/main/bench/results/20261204T1913Z-queue-wake-ab/global
cases=idle-1000,movers-400,inputs-200
for r in 1 2 3; do
  (cd /tmp/wt-old && bench/run --systems akka --cases $cases --out $D/old-r$r)
  (cd /work/main && bench/run --systems akka --cases $cases --out $D/new-r$r)
done
echo done > $D/DONE
