#!/usr/bin/env bash
cd /work/main
for r in 2 3; do
  bench/run --systems akka --cases crowd --crowd 1000,2000 --warmup 10s --server-env AKKAGAME_CONFIG=$PWD/bench/results/20261203T1640Z-crowd-conflation/crowd-off.conf --out bench/results/20261203T1640Z-crowd-conflation/off-r$r
  bench/run --systems akka --cases crowd --crowd 1000,2000 --warmup 10s --server-env AKKAGAME_CONFIG=$PWD/bench/results/20261203T1640Z-crowd-conflation/crowd.conf --out bench/results/20261203T1640Z-crowd-conflation/on-r$r
done
