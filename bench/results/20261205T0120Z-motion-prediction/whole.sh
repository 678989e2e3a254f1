#!/usr/bin/env bash
# Predicting clients with the whole-sector view (no interest radius): AkkaGame with no
# configuration at all (as shipped), then with a battle node's Akka.IO settings (battle-whole.conf).
D=$(cd "$(dirname "$0")" && pwd)
cd /work/main
bench/run --systems akka --cases crowd-predicted --crowd 1000,2000 --warmup 10s --out $D/whole
bench/run --systems akka --cases crowd-predicted --crowd 1000,2000 \
  --warmup 10s --server-env AKKAGAME_CONFIG=$D/battle-whole.conf --out $D/battle-whole
echo done > $D/DONE-whole
