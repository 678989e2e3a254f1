#!/bin/bash
cd /tmp/wt-crowd
for c in crowd-io32; do
  rm -rf /tmp/ioexp-$c
  timeout 900 bench/run --systems akka --cases crowd-500,crowd-1000,idle-1000 --crowd 500,1000 --warmup 10s --server-env AKKAGAME_CONFIG=/tmp/$c.conf --out /tmp/ioexp-$c > /tmp/lat/ioexp-$c.log 2>&1
  echo "$c exit $?" >> /tmp/lat/ioexp2.log
done
