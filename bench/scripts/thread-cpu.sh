#!/usr/bin/env bash
# Per-thread CPU of a process over an interval, grouped by thread name (/proc/PID/task/*/comm):
# a poor man's profile when dotnet-counters/dotnet-trace are not available.
#
#   bench/scripts/thread-cpu.sh PID SECONDS
#
# Prints CPU seconds per thread-name group during the interval, largest first.
set -euo pipefail
pid=$1
secs=${2:-10}

sample() {
  local t
  for t in /proc/"$pid"/task/*; do
    [ -r "$t/stat" ] || continue
    local name stat
    name=$(tr ' ' '_' <"$t/comm" 2>/dev/null || echo gone)
    stat=$(cat "$t/stat" 2>/dev/null) || continue
    # fields after the ')' : state is 3, utime 14, stime 15 (1-based in the full line)
    echo "${t##*/} $name $(echo "${stat##*) }" | awk '{print $12 + $13}')"
  done
}

before=$(sample)
sleep "$secs"
after=$(sample)
join <(echo "$before" | sort -k1,1) <(echo "$after" | sort -k1,1) |
  awk -v s="$secs" '{ d = $5 - $3; name = $2; sub(/[0-9]+$/, "#", name); sum[name] += d; n[name]++ }
       END { for (k in sum) if (sum[k] > 0) printf "%-28s threads=%-4d cpu=%6.2fs  (%.0f%% of one core)\n", k, n[k], sum[k] / 100, sum[k] / s }' |
  sort -t= -k3 -rn
