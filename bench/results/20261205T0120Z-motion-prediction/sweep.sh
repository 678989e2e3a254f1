#!/usr/bin/env bash
# The crowd sweep with clients that predict motion (crowd-predicted-N), beside the peers, then
# AkkaGame alone on a battle node (battle.conf). crowd.conf: AkkaGame's interest radius 150.
D=$(cd "$(dirname "$0")" && pwd)
cd /work/main
bench/run --systems akka,thread-per-client,raw-async,orleans --cases crowd-predicted --crowd 250,500,1000,2000 \
  --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/run
bench/run --systems akka --cases crowd-predicted --crowd 1000,2000 \
  --warmup 10s --server-env AKKAGAME_CONFIG=$D/battle.conf --out $D/battle
echo done > $D/DONE
