#!/usr/bin/env bash
# The same A/B at capacity (issue 13 target 8): capacity-1000 and capacity-1500, three interleaved rounds.
D=/work/main/bench/results/20261204T1913Z-queue-wake-ab/capacity
cases=capacity-1000,capacity-1500
for r in 1 2 3; do
  (cd /tmp/wt-old && bench/run --systems akka --cases $cases --capacity 1000,1500 --out $D/old-r$r)
  (cd /work/main && bench/run --systems akka --cases $cases --capacity 1000,1500 --out $D/inplace-r$r)
done
echo done > $D/DONE
