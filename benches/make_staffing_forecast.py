#!/usr/bin/env python3
"""Write a synthetic 30-minute contact forecast for the staffing benchmark.

Output columns: ``timestamp,region,forecast,aht_seconds``: one region (``main``), N
consecutive 30-minute intervals (default 10,000, about 208 days) starting Monday
2025-01-06T00:00:00, timestamps ISO 8601 without offset, each the start of its interval.

Shape: a smooth intraday curve (closed 22:00-06:00, so every night has zero intervals, a
ramp from 06:00, a morning peak near 10:30 and a smaller afternoon peak near 14:30),
weekday levels (Monday busiest, Saturday light, Sunday quiet), a slow seasonal wave, and
multiplicative noise. ``forecast`` is a forecast, not a count: it has one decimal and can be
fractional (e.g. 0.4 in the edges of the day). It stays within 0-300.

``aht_seconds`` (one decimal) varies between 150 and 400 s: longer early and late in the
day, shorter at the peaks, a weekday effect and noise. Zero-forecast intervals still carry
an AHT, as a real forecast would.

Python standard library only. Deterministic for a given ``--seed`` and arguments.

Example:
    python3 benches/make_staffing_forecast.py -o benches/data/staffing_10k.csv
    python3 benches/make_staffing_forecast.py --intervals 96 -o /tmp/two_days.csv
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys

INTERVAL = dt.timedelta(minutes=30)
START = dt.datetime(2025, 1, 6)  # a Monday
OPEN_HOUR, CLOSE_HOUR = 6.0, 22.0
PEAK = 300.0
# Monday .. Sunday
DAY_LEVEL = [1.00, 0.93, 0.90, 0.88, 0.84, 0.45, 0.22]
DAY_AHT = [1.00, 0.98, 0.97, 0.97, 1.00, 1.08, 1.15]


def intraday(hour: float) -> float:
    """Relative volume at the middle of an interval starting at ``hour`` (0 = closed)."""
    if hour < OPEN_HOUR or hour >= CLOSE_HOUR:
        return 0.0
    ramp_in = min(1.0, (hour - OPEN_HOUR) / 2.0)  # 06:00-08:00
    ramp_out = min(1.0, (CLOSE_HOUR - hour) / 3.0)  # 19:00-22:00
    morning = math.exp(-((hour - 10.5) / 2.0) ** 2)
    afternoon = 0.8 * math.exp(-((hour - 14.5) / 2.2) ** 2)
    evening = 0.25 * math.exp(-((hour - 19.0) / 1.5) ** 2)
    return ramp_in * ramp_out * (0.05 + morning + afternoon + evening)


def aht_shape(relative_volume: float) -> float:
    """AHT in seconds before the weekday effect and noise: ~180 s at the peaks, longer off-peak."""
    return 300.0 - 120.0 * relative_volume


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--intervals", type=int, default=10_000, help="number of 30-minute intervals (default 10000)")
    ap.add_argument("-o", "--output", default="-", help="output CSV (default stdout)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--region", default="main", help="region name (default main)")
    args = ap.parse_args(argv)
    if args.intervals < 1:
        ap.error("--intervals must be at least 1")

    rng = random.Random(args.seed)
    peak_of_curve = max(intraday(h / 100) for h in range(2400))
    out = sys.stdout if args.output == "-" else open(args.output, "w", newline="")
    try:
        out.write("timestamp,region,forecast,aht_seconds\n")
        day_noise = 1.0
        for i in range(args.intervals):
            t = START + i * INTERVAL
            if t.hour == 0 and t.minute == 0 or i == 0:
                day_noise = rng.lognormvariate(0.0, 0.08)
            hour = t.hour + t.minute / 60.0 + 0.25  # middle of the interval
            rel = intraday(hour) / peak_of_curve
            wd = t.weekday()
            day_of_run = i / 48.0
            season = 1.0 + 0.12 * math.sin(2 * math.pi * day_of_run / 91.0)
            mean = PEAK * 0.9 * rel * DAY_LEVEL[wd] * season * day_noise
            if mean > 0:
                fc = mean * rng.lognormvariate(0.0, 0.06)
                fc = min(PEAK, max(0.0, fc))
            else:
                fc = 0.0
            aht = aht_shape(rel) * DAY_AHT[wd] * rng.lognormvariate(0.0, 0.07)
            aht = min(400.0, max(150.0, aht))
            out.write(f"{t:%Y-%m-%dT%H:%M:%S},{args.region},{fc:.1f},{aht:.1f}\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
