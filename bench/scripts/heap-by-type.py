#!/usr/bin/env python3
"""Totals per type from a `dotnet-gcdump report` listing, largest first.

The report has one row per type (and size class) with the size of an object and the count;
this multiplies them, merges the size classes of a type and prints the top 40 with the share
of the heap, then the heap size and object count.

    bench/scripts/heap-by-type.py HEAP-REPORT.txt
"""
import re
import sys
from collections import defaultdict

ROW = re.compile(r"^\s*([\d,]+)\s+([\d,]+)\s+(.+?)\s*$")


def main(path: str) -> None:
    totals: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    heap = None
    with open(path) as f:
        for line in f:
            if "GC Heap bytes" in line:
                heap = int(line.split()[0].replace(",", ""))
                continue
            m = ROW.match(line)
            if not m:
                continue
            size, count = int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))
            name = re.sub(r"\s*\(Bytes > [^)]*\)", "", m.group(3))
            totals[name] += size * count
            counts[name] += count
    whole = heap or sum(totals.values())
    print(f"{'total bytes':>12} {'share':>6} {'count':>9}  type  [assembly]")
    for name, total in sorted(totals.items(), key=lambda kv: -kv[1])[:40]:
        print(f"{total:12,d} {total / whole:6.1%} {counts[name]:9,d}  {name}")
    print(f"{whole:12,d} GC heap bytes (live objects after a full collection), {sum(counts.values()):,} objects")


if __name__ == "__main__":
    main(sys.argv[1])
