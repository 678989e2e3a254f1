#!/usr/bin/env python3
"""Mean, minimum and maximum of each counter in a `dotnet-counters collect --format csv` file.

    bench/scripts/counters-summary.py COUNTERS.csv
"""
import csv
import sys
from collections import defaultdict


def main(path: str) -> None:
    values: dict[str, list[float]] = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            name = row.get("Counter Name") or ""
            kind = row.get("Counter Type") or ""
            raw = row.get("Mean/Increment") or ""
            try:
                values[f"{name} [{kind}]"].append(float(raw))
            except ValueError:
                continue
    print(f"{'mean':>14} {'min':>14} {'max':>14}  counter [type; Rate = per refresh interval of 1 s]")
    for name, vs in sorted(values.items()):
        print(f"{sum(vs) / len(vs):14.2f} {min(vs):14.2f} {max(vs):14.2f}  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
