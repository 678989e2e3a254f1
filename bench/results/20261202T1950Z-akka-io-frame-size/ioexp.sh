#!/bin/bash
cd /tmp/wt-crowd
for c in crowd crowd-io64 crowd-io16; do
  timeout 900 bench/run --systems akka --cases crowd --crowd 500,1000 --warmup 10s --server-env AKKAGAME_CONFIG=/tmp/$c.conf --out /tmp/ioexp-$c > /tmp/lat/ioexp-$c.log 2>&1
  echo "$c exit $?" >> /tmp/lat/ioexp.log
done
