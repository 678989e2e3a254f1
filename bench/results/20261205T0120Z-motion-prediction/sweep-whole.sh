#!/usr/bin/env bash
# The crowd sweep with clients that predict motion, AkkaGame with no configuration at all (the
# whole-sector view, as the peers), beside the peers, two interleaved repeats.
D=$(cd "$(dirname "$0")" && pwd)
cd /work/main
bench/run --systems akka,thread-per-client,raw-async,orleans --cases crowd-predicted --crowd 250,500,1000,2000 \
  --warmup 10s --repeat 2 --out $D/sweep-whole
echo done > $D/DONE-sweep-whole
