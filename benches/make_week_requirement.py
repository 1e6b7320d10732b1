#!/usr/bin/env python3
"""Write a one-week requirements file for the scheduling benchmark (wfm vs pyworkforce).

Output: the columns ``wfm staff`` writes
(``timestamp,region,contacts,aht_seconds,agents_raw,agents_required,service_level,
asa_seconds,occupancy``), 336 consecutive 30-minute intervals from 2024-01-01T00:00:00
(a Monday), region ``all``. Only ``timestamp``, ``region`` and ``agents_required`` matter
to ``wfm schedule`` and to ``benches/pyworkforce_schedule.py``.

Source of ``agents_required``:
  * ``--source`` (default /tmp/req30.csv) if it exists: its first 336 data rows, in order
    (for the bundled bank data that is 1-7 December 1999, as ``wfm staff`` wrote it).
    Its other columns are copied too; only the timestamps and region are replaced.
  * otherwise a built-in daily shape (deterministic, no randomness): a night floor of 2,
    a morning peak near 10:30 and an afternoon peak near 14:30, weekends lighter.

Python standard library only.

Example:
    python3 benches/make_week_requirement.py -o benches/data/week_req.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import sys

HEADER = ["timestamp", "region", "contacts", "aht_seconds", "agents_raw", "agents_required",
          "service_level", "asa_seconds", "occupancy"]
START = dt.datetime(2024, 1, 1)
STEP = dt.timedelta(minutes=30)
N = 336
DAY_LEVEL = [1.00, 0.95, 0.92, 0.90, 0.88, 0.55, 0.35]  # Monday .. Sunday


def builtin_required(i: int) -> int:
    day, hour = divmod(i, 48)
    hour = (hour + 0.5) / 2.0
    shape = (math.exp(-((hour - 10.5) / 2.2) ** 2)
             + 0.8 * math.exp(-((hour - 14.5) / 2.5) ** 2)
             + 0.3 * math.exp(-((hour - 19.5) / 1.8) ** 2))
    return max(2, round(2 + 16 * DAY_LEVEL[day % 7] * shape))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", required=True, help="requirements CSV to write")
    ap.add_argument("--source", default="/tmp/req30.csv",
                    help="wfm staff output to take the first 336 rows from, if it exists (default %(default)s)")
    args = ap.parse_args()

    rows = []
    origin = None
    if os.path.exists(args.source):
        with open(args.source, newline="") as f:
            src = list(csv.DictReader(f))
        if len(src) < N:
            sys.exit(f"make_week_requirement: {args.source} has {len(src)} rows, need {N}")
        for i, r in enumerate(src[:N]):
            row = {k: r.get(k, "") for k in HEADER}
            row["timestamp"] = (START + i * STEP).strftime("%Y-%m-%dT%H:%M:%S")
            row["region"] = "all"
            row["agents_required"] = str(int(float(r["agents_required"])))
            rows.append(row)
        origin = f"{args.source} rows 1-{N} ({src[0]['timestamp']} .. {src[N - 1]['timestamp']})"
    else:
        for i in range(N):
            req = builtin_required(i)
            rows.append({"timestamp": (START + i * STEP).strftime("%Y-%m-%dT%H:%M:%S"), "region": "all",
                         "contacts": "", "aht_seconds": "", "agents_raw": req, "agents_required": req,
                         "service_level": "", "asa_seconds": "", "occupancy": ""})
        origin = "built-in daily shape"

    with open(args.output, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    req = [int(r["agents_required"]) for r in rows]
    print(f"make_week_requirement: wrote {args.output}: {N} intervals from {origin}; "
          f"agents_required sum {sum(req)} (= {sum(req) / 2:g} agent-hours), max {max(req)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
