#!/usr/bin/env bash
# Below saturation, where server CPU is the measure (issue 13's target 2): four more interleaved rounds.
cd /work/main
D=/work/main/bench/results/20261204T1706Z-spin-limit-ab
cases=idle-1000,movers-400,inputs-200
for r in 1 2 3 4; do
  bench/run --systems akka --cases $cases --out $D/fixed/default-r$r
  bench/run --systems akka --cases $cases --server-env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 --out $D/fixed/spin0-r$r
done
echo done > $D/fixed/DONE
