#!/usr/bin/env bash
# the everyday cases (nobody behind): conflation on (the default) against off, interleaved
cd /work/main
for r in 1 2; do
  bench/run --systems akka --cases movers-800,capacity-1000 --out bench/results/20261203T1731Z-conflation-everyday/on-r$r
  bench/run --systems akka --cases movers-800,capacity-1000 --server-env AKKAGAME_CONFIG=$PWD/bench/results/20261203T1731Z-conflation-everyday/off.conf --out bench/results/20261203T1731Z-conflation-everyday/off-r$r
done
