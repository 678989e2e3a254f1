#!/usr/bin/env bash
# After the sweep: is AkkaGame's crowd bound by its sends' size? crowd-1000, AkkaGame alone, at the
# sweep's commit: the socket send buffer of thread-per-client (256 KiB), then that with a battle
# node's Akka.IO frame size (64k), then the sweep's configuration again.
D=/work/main/bench/results/20261204T2103Z-crowd-sweep
cd /work/main
for v in sndbuf-256k battle-256k crowd; do
  bench/run --systems akka --cases crowd --crowd 1000 --warmup 10s --server-env AKKAGAME_CONFIG=$D/$v.conf --out $D/send-size/$v
done
echo done > $D/send-size/DONE
