#!/usr/bin/env bash
# Where PostgreSQL's mine->Credits p99 tail comes from (issue 13 target 6): the journal's
# parallelism (default 3; 1 and 8) and the sectors' snapshots (every 5 s; 60 s), akka-pg only.
D=/work/main/bench/results/20261204T1922Z-durable-postgres-tail
cd /work/main
for v in default par1 par8 snap60; do
  env=""; [ $v != default ] && env="--server-env AKKAGAME_CONFIG=$D/$v.conf"
  bench/run --repeat 3 --warmup 5s --systems akka-pg --cases economy-200 $env --out $D/$v
done
echo done > $D/DONE
