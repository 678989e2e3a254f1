#!/usr/bin/env bash
# movers-800 and inputs-300: the code before this session (9f4ab7c, a worktree) against 6164997, interleaved
for r in 1 2; do
  (cd /tmp/wt-old && bench/run --systems akka --cases movers-800,inputs-300 --out /work/main/bench/results/20261203T1809Z-movers-before-after/before-r$r)
  (cd /work/main && bench/run --systems akka --cases movers-800,inputs-300 --out /work/main/bench/results/20261203T1809Z-movers-before-after/after-r$r)
done
