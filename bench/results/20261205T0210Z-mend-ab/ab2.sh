#!/usr/bin/env bash
# Two more interleaved rounds of crowd-500 (clients that do not predict), AkkaGame only, before and after.
D=$(cd "$(dirname "$0")" && pwd)
for r in 2 3; do
  (cd /tmp/wt-before && bench/run --systems akka --cases crowd-500 --warmup 10s --out $D/before-r$r)
  (cd /work/main && bench/run --systems akka --cases crowd-500 --warmup 10s --out $D/after-r$r)
done
echo done > $D/DONE2
