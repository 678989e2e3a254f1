#!/usr/bin/env bash
# Two more interleaved rounds of send-size.sh's two main variants: a battle node's 64k sends (with
# the 256 KiB socket buffer) against the sweep's configuration, crowd-1000, AkkaGame alone.
D=/work/main/bench/results/20261204T2103Z-crowd-sweep
cd /work/main
for r in 2 3; do
  bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/battle-256k.conf --out $D/send-size/battle-256k-r$r
  bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/send-size/crowd-r$r
done
echo done > $D/send-size/DONE2
