#!/usr/bin/env bash
# crowd-1000, AkkaGame alone, interleaved, as shipped (crowd.conf: 16k sends) and on a battle node
# (battle.conf: 64k): three builds of the sector's dilation signals:
#   old    71a3172 (worktree /tmp/wt-old): tick work by wall time; behind counted after the tick's writes
#   behind 3f4b1c6 with wall-time tick work (worktree /tmp/wt-behind, patched): behind counted before the writes
#   new    3f4b1c6 (/work/main): tick work by the thread's CPU time, behind counted before the writes
D=$(cd "$(dirname "$0")" && pwd)
declare -A TREE=([old]=/tmp/wt-old [behind]=/tmp/wt-behind [new]=/work/main)
for r in 1 2; do
  for c in battle crowd; do
    for v in old behind new; do
      (cd "${TREE[$v]}" && bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/$c.conf --out $D/$v-$c-r$r)
    done
  done
done
echo done > $D/DONE
