#!/usr/bin/env bash
# The session's read window (new: the working tree on 431d2b0) against an ack per read (old:
# 431d2b0 in a worktree), three interleaved rounds; inputs-heavy cases and the everyday ones.
D=/work/main/bench/results/20261204T2001Z-read-window-ab
cases=idle-1000,movers-400,inputs-200,inputs-400
for r in 1 2 3; do
  (cd /tmp/wt-old && bench/run --systems akka --cases $cases --inputs 200,400 --out $D/old-r$r)
  (cd /work/main && bench/run --systems akka --cases $cases --inputs 200,400 --out $D/new-r$r)
done
echo done > $D/DONE
