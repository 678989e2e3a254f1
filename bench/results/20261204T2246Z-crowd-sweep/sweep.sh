#!/usr/bin/env bash
# The crowd sweep beside the peers at 3f4b1c6 (AkkaGame as shipped with interest radius 150: crowd.conf),
# then AkkaGame alone on a battle node (battle.conf: Akka.IO's 64k sends, a 256 KiB socket buffer).
D=$(cd "$(dirname "$0")" && pwd)
cd /work/main
bench/run --systems akka,thread-per-client,raw-async,orleans --cases crowd --crowd 250,500,1000,2000 \
  --warmup 10s --server-env AKKAGAME_CONFIG=$D/crowd.conf --out $D/run
bench/run --systems akka --cases crowd --crowd 250,500,1000,2000 \
  --warmup 10s --server-env AKKAGAME_CONFIG=$D/battle.conf --out $D/battle
echo done > $D/DONE
