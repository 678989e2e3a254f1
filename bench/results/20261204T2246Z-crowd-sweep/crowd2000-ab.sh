#!/usr/bin/env bash
# crowd-2000, AkkaGame alone, as shipped (crowd.conf), interleaved: 71a3172 (worktree /tmp/wt-old: the
# old dilation signals) against 3f4b1c6 (/work/main: the tick's CPU time, behind counted before the writes).
D=$(cd "$(dirname "$0")" && pwd)
for r in 1 2; do
  (cd /tmp/wt-old && bench/run --systems akka --cases crowd --crowd 2000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/crowd2000-old-r$r)
  (cd /work/main && bench/run --systems akka --cases crowd --crowd 2000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/crowd2000-new-r$r)
done
echo done > $D/DONE-crowd2000
