#!/usr/bin/env bash
# The same setting for the peers that run on the .NET thread pool (Orleans, raw-async), two interleaved rounds.
cd /work/main
D=/work/main/bench/results/20261204T1706Z-spin-limit-ab
cases=idle-1000,movers-400,inputs-200
for r in 1 2; do
  bench/run --systems orleans,raw-async --cases $cases --out $D/peers/default-r$r
  bench/run --systems orleans,raw-async --cases $cases --server-env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 --out $D/peers/spin0-r$r
done
echo done > $D/peers/DONE
