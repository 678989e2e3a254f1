#!/usr/bin/env bash
# Where the 2026-12-03 lighter connection path got its tail (../20261203T0240Z-connection-path-ab/):
# movers-800, the wake-up through the global queue (new: 431d2b0) against 088a5a6 (old), four
# interleaved rounds, each in its own worktree.
D=/work/main/bench/results/20261204T1913Z-queue-wake-ab/movers-800
for r in 1 2 3 4; do
  (cd /tmp/wt-088 && bench/run --systems akka --cases movers-800 --out $D/old-r$r)
  (cd /tmp/wt-431 && bench/run --systems akka --cases movers-800 --out $D/new-r$r)
done
echo done > $D/DONE
