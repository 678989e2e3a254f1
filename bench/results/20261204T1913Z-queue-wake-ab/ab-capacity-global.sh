#!/usr/bin/env bash
# The wake-up through the thread pool's global queue (new: the working tree) against the code
# before it (old: 088a5a6 in a worktree), capacity-1000 and capacity-1500, three interleaved rounds.
D=/work/main/bench/results/20261204T1913Z-queue-wake-ab/capacity-global
cases=capacity-1000,capacity-1500
for r in 1 2 3; do
  (cd /tmp/wt-old && bench/run --systems akka --cases $cases --capacity 1000,1500 --out $D/old-r$r)
  (cd /work/main && bench/run --systems akka --cases $cases --capacity 1000,1500 --out $D/new-r$r)
done
echo done > $D/DONE
