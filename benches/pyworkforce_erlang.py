#!/usr/bin/env python3
"""Required agents per interval with pyworkforce's ErlangC, the peer of ``wfm staff``.

Reads a forecast CSV with the columns ``forecast`` and ``aht_seconds`` (the format written by
``benches/make_staffing_forecast.py``: ``timestamp,region,forecast,aht_seconds``). For each
row (interval) it computes

    ErlangC(transactions=forecast, aht=aht_seconds, asa=TARGET_SECONDS,
            interval=INTERVAL_SECONDS, shrinkage=0.0)
        .required_positions(service_level=TARGET_SL, max_occupancy=1.0)["raw_positions"]

with every time in seconds (pyworkforce only needs aht, asa and interval in one unit; its
docs use minutes). Its ``asa`` is the answer-time threshold of the service-level target (the
"20" of 80/20), not a maximum average speed of answer. Rows with a forecast of 0 (or less)
are not passed to ErlangC, which rejects them, and get 0 positions.

Writes ``interval_index,raw_positions`` (0-based data-row index) to ``-o``. Prints the time
of the ErlangC loop alone (no interpreter start-up, imports or CSV reading) on stderr, and
appends it to ``--timing-log`` when given.

Example:
    benches/data/.venv/bin/python benches/pyworkforce_erlang.py benches/data/staffing_10k.csv \\
        -o /tmp/pwf_req.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
import time

from pyworkforce.queuing import ErlangC


def read_forecast(path: str) -> list[tuple[float, float]]:
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        missing = {"forecast", "aht_seconds"} - set(reader.fieldnames or [])
        if missing:
            sys.exit(f"pyworkforce_erlang: {path} has no column(s) {', '.join(sorted(missing))}")
        return [(float(r["forecast"]), float(r["aht_seconds"])) for r in reader]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("forecast", help="forecast CSV with forecast and aht_seconds columns")
    ap.add_argument("-o", "--output", default="pyworkforce_requirements.csv", help="output CSV")
    ap.add_argument("--target-sl", type=float, default=0.8, help="service-level target (default 0.8)")
    ap.add_argument("--target-seconds", type=float, default=20.0,
                    help="answer time of the target, pyworkforce's asa (default 20)")
    ap.add_argument("--interval-seconds", type=float, default=1800.0, help="interval length (default 1800)")
    ap.add_argument("--timing-log", help="append the loop seconds to this file")
    args = ap.parse_args(argv)

    rows = read_forecast(args.forecast)

    start = time.perf_counter()
    raw = []
    for transactions, aht in rows:
        if transactions <= 0:
            raw.append(0)
            continue
        erlang = ErlangC(transactions=transactions, aht=aht, asa=args.target_seconds,
                         interval=args.interval_seconds, shrinkage=0.0)
        raw.append(erlang.required_positions(service_level=args.target_sl, max_occupancy=1.0)["raw_positions"])
    elapsed = time.perf_counter() - start

    with open(args.output, "w", newline="") as f:
        f.write("interval_index,raw_positions\n")
        f.writelines(f"{i},{n}\n" for i, n in enumerate(raw))

    busy = sum(1 for t, _ in rows if t > 0)
    print(f"pyworkforce_erlang: ErlangC loop over {len(rows)} intervals ({busy} with contacts): "
          f"{elapsed:.4f} s", file=sys.stderr)
    if args.timing_log:
        with open(args.timing_log, "a") as f:
            f.write(f"{elapsed:.6f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
