#!/usr/bin/env bash
# Interleaved, AkkaGame alone: 6df2e93 (worktree /tmp/wt-old: the stage woken through a work item on the
# global queue, streams on Akka's default dispatcher) against the commit above it (/work/main: streams on
# akkagame.connection-dispatcher, woken directly). crowd-500 (below saturation: CPU at a fixed load),
# capacity-1000 (the input tail the LIFO queue made), crowd-1000 on a battle node.
D=$(cd "$(dirname "$0")" && pwd)
declare -A TREE=([old]=/tmp/wt-old [new]=/work/main)
for r in 1 2 3; do
  for v in old new; do
    (cd "${TREE[$v]}" && bench/run --systems akka --cases crowd --crowd 500 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/$v-crowd500-r$r)
    (cd "${TREE[$v]}" && bench/run --systems akka --cases capacity --capacity 1000 --warmup 10s --out $D/$v-capacity1000-r$r)
  done
done
for r in 1 2; do
  for v in old new; do
    (cd "${TREE[$v]}" && bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/battle.conf --out $D/$v-battle1000-r$r)
  done
done
echo done > $D/DONE
