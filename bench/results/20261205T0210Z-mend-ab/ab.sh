#!/usr/bin/env bash
# The review mend against the commit before it (a8526c4, a worktree), beside thread-per-client:
# crowd-predicted-1000 and crowd-500 (clients that do not predict), no configuration.
D=$(cd "$(dirname "$0")" && pwd)
(cd /tmp/wt-before && bench/run --systems akka,thread-per-client --cases crowd-predicted-1000,crowd-500 --warmup 10s --out $D/before)
(cd /work/main && bench/run --systems akka,thread-per-client --cases crowd-predicted-1000,crowd-500 --warmup 10s --out $D/after)
echo done > $D/DONE
