#!/usr/bin/env bash
# The outbound queue's wake-up: one message to the connection's stage (new, the working tree on
# 088a5a6) against the channel's WaitToReadAsync with a task continuation (old, 088a5a6 in a
# worktree), interleaved, below saturation where server CPU is the measure.
D=/work/main/bench/results/20261204T1913Z-queue-wake-ab/inplace
cases=idle-1000,movers-400,inputs-200
for r in 1 2 3; do
  (cd /tmp/wt-old && bench/run --systems akka --cases $cases --out $D/old-r$r)
  (cd /work/main && bench/run --systems akka --cases $cases --out $D/new-r$r)
done
echo done > $D/DONE
