#!/usr/bin/env bash
# The .NET thread pool's spinning before a worker sleeps (DOTNET_ThreadPool_UnfairSemaphoreSpinLimit,
# default 70) against none (0), interleaved, same binary (06869a2).
cd /work/main
D=/work/main/bench/results/20261204T1706Z-spin-limit-ab
cases=idle-1000,movers-800,inputs-400,capacity-1000,storm-1000
for r in 1 2; do
  bench/run --systems akka --cases $cases --out $D/default-r$r
  bench/run --systems akka --cases $cases --server-env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 --out $D/spin0-r$r
  bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/default-crowd-r$r
  bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf,DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 --out $D/spin0-crowd-r$r
done
echo done > $D/DONE
