#!/usr/bin/env bash
# conflation on in both; max-behind-share 0.1 (default) against 2 (never dilate for connections behind)
cd /work/main
for r in 1; do
  bench/run --systems akka --cases crowd --crowd 1000,2000 --warmup 10s --server-env AKKAGAME_CONFIG=$PWD/bench/results/20261203T1724Z-crowd-behind-share/crowd-nobehind.conf --out bench/results/20261203T1724Z-crowd-behind-share/nobehind-r$r
  bench/run --systems akka --cases crowd --crowd 1000,2000 --warmup 10s --server-env AKKAGAME_CONFIG=$PWD/bench/results/20261203T1724Z-crowd-behind-share/crowd.conf --out bench/results/20261203T1724Z-crowd-behind-share/default-r$r
done
