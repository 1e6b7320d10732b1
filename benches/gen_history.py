#!/usr/bin/env python3
"""Generate a synthetic, realistic long-format contact history CSV for ingest benchmarks.

Output columns: ``timestamp,region,contacts,aht_seconds`` -- one row per region per
interval, sorted by region then timestamp, timestamps ISO-8601 local time without offset
(``2025-01-01T00:15:00``), each the start of its interval.

The default (100 regions x 365 days x 96 fifteen-minute intervals) is 3,504,000 rows.

Shape: the weekday x hour profile and the month-of-year seasonality are taken from the real
Anonymous Bank 1999 call-centre data (``/work/shared/data/anonbank_1999_hourly.csv``, or
``--profile PATH``) when that file is readable, else from a built-in smooth profile. Hourly
rates are interpolated linearly between hour centres so that 15-minute (or any) intervals get
a smooth intraday curve instead of hourly steps.

Per region: a random volume level (log-normal), a small clock offset (some regions lag or
lead by an hour), a linear yearly trend, its own AHT level, and day-to-day overdispersion.
Per interval: Poisson-like noise (exact Poisson for small means, Gaussian N(mu, mu) above),
clamped at 0, rounded to whole contacts -- with an occasional half-count (x.5), as in the
real data. Counts are always written with one decimal (``12.0``) like the real data, so a
reader that infers column types from the first rows sees a float column.

Python 3.11 standard library only. Deterministic for a given ``--seed`` and arguments.

Example:
    python3 benches/gen_history.py -o benches/data/history_100x15m.csv
    python3 benches/gen_history.py --regions 3 --days 14 -o /tmp/small.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import random
import sys
import time

DEFAULT_PROFILE = "/work/shared/data/anonbank_1999_hourly.csv"
# shared/ normally sits beside the repository checkout; try that too if the path above is absent
_BESIDE_REPO = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "anonbank_1999_hourly.csv"
)
if not os.path.exists(DEFAULT_PROFILE) and os.path.exists(_BESIDE_REPO):
    DEFAULT_PROFILE = os.path.normpath(_BESIDE_REPO)

# Probability that a non-zero interval count is written as a half-count (x.5). The real
# Anonymous Bank 6-minute data has 91 such values in 87,600 intervals (~0.1 %); source
# processing artefacts cluster, so a little more here keeps them visible in small files.
HALF_COUNT_P = 0.002


def builtin_profile() -> tuple[list[list[float]], list[float]]:
    """A smooth Mon-Fri business-hours profile with a lighter Saturday and quiet Sunday.

    Returns (weekday x hour relative rates, month factors); Monday == 0 as in datetime.
    """

    def day_curve(peak: float, open_h: float, close_h: float) -> list[float]:
        out = []
        for h in range(24):
            x = h + 0.5
            night = 0.03 * peak
            if x < open_h or x > close_h:
                out.append(night)
                continue
            # two humps: late morning and early afternoon, dip at lunch
            span = close_h - open_h
            u = (x - open_h) / span
            hump = math.sin(math.pi * u) ** 0.8
            am = math.exp(-((x - 10.5) ** 2) / 4.0)
            pm = 0.85 * math.exp(-((x - 14.5) ** 2) / 5.0)
            out.append(night + peak * hump * (0.55 + 0.45 * max(am, pm)))
        return out

    week = [day_curve(1.0, 7.0, 21.0) for _ in range(5)]
    week[0] = [v * 1.08 for v in week[0]]  # Monday busier
    week[4] = [v * 0.92 for v in week[4]]  # Friday lighter
    week.append(day_curve(0.35, 8.0, 17.0))  # Saturday
    week.append(day_curve(0.08, 9.0, 15.0))  # Sunday
    months = [1.0 + 0.12 * math.cos(2 * math.pi * (m - 0.5) / 12.0) for m in range(12)]
    return week, months


def profile_from_csv(path: str) -> tuple[list[list[float]], list[float]]:
    """Average weekday x hour contacts and per-day month factors from an hourly history CSV."""
    sums = [[0.0] * 24 for _ in range(7)]
    counts = [[0] * 24 for _ in range(7)]
    month_sum = [0.0] * 12
    month_days: list[set] = [set() for _ in range(12)]
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            t = dt.datetime.fromisoformat(row["timestamp"])
            c = float(row["contacts"])
            wd, h = t.weekday(), t.hour
            sums[wd][h] += c
            counts[wd][h] += 1
            month_sum[t.month - 1] += c
            month_days[t.month - 1].add(t.date())
    if min(min(r) for r in counts) == 0:
        raise ValueError(f"{path}: not every weekday x hour cell is present")
    week = [[sums[d][h] / counts[d][h] for h in range(24)] for d in range(7)]
    per_day = [month_sum[m] / len(month_days[m]) if month_days[m] else 0.0 for m in range(12)]
    present = [v for v in per_day if v > 0]
    mean = sum(present) / len(present)
    months = [v / mean if v > 0 else 1.0 for v in per_day]
    return week, months


def minute_rates(week: list[list[float]]) -> list[float]:
    """Per-minute rate over the week (10,080 values, Monday 00:00 first), normalised so the
    weekly mean rate is 1 contact per hour. Linear interpolation between hour centres,
    wrapping around the end of the week."""
    hourly = [v for day in week for v in day]  # 168 values
    n = len(hourly)
    mean = sum(hourly) / n
    hourly = [v / mean for v in hourly]
    rates = []
    for m in range(7 * 24 * 60):
        x = m / 60.0 - 0.5  # position in hours relative to hour centres
        i = math.floor(x)
        f = x - i
        a = hourly[i % n]
        b = hourly[(i + 1) % n]
        rates.append((a + (b - a) * f) / 60.0)
    return rates


def interval_profile(rates: list[float], interval: int, offset_min: int) -> list[float]:
    """Expected contacts per interval for a unit (1/hour mean) region, indexed by
    minute-of-week // interval, for a region whose clock is shifted by offset_min minutes."""
    week_min = len(rates)
    n = week_min // interval
    out = []
    for k in range(n):
        start = k * interval - offset_min
        out.append(sum(rates[(start + j) % week_min] for j in range(interval)))
    return out


def month_factor_by_day(months: list[float], start: dt.date, days: int) -> list[float]:
    """Daily seasonality factor: month factors placed at mid-month, linearly interpolated."""
    out = []
    for d in range(days):
        day = start + dt.timedelta(days=d)
        # fractional month position, 0.0 == middle of January
        pos = (day.month - 1) + (day.day - 0.5) / 31.0 - 0.5
        i = math.floor(pos)
        f = pos - i
        a = months[i % 12]
        b = months[(i + 1) % 12]
        out.append(a + (b - a) * f)
    return out


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-o", "--output", required=True, help="output CSV path ('-' for stdout)")
    p.add_argument("--regions", type=int, default=100, help="number of regions (default 100)")
    p.add_argument("--days", type=int, default=365, help="number of days (default 365)")
    p.add_argument("--start", default="2025-01-01", help="first day, YYYY-MM-DD (default 2025-01-01)")
    p.add_argument("--interval-minutes", type=int, default=15, help="interval length (default 15)")
    p.add_argument("--seed", type=int, default=1, help="RNG seed (default 1)")
    p.add_argument(
        "--profile",
        default=os.environ.get("WFM_BENCH_PROFILE", DEFAULT_PROFILE),
        help=f"hourly history CSV (timestamp,region,contacts) to take the shape from "
        f"(default {DEFAULT_PROFILE}; built-in profile if unreadable)",
    )
    p.add_argument("--builtin-profile", action="store_true", help="ignore --profile, use the built-in shape")
    p.add_argument(
        "--western-week",
        action="store_true",
        help="rotate the Anonymous Bank week (Sun-Thu working, Sat closed) by one day so "
        "Mon-Fri are the working days and Sunday is the closed day",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    a = p.parse_args(argv)
    if a.regions < 1 or a.days < 1:
        p.error("--regions and --days must be >= 1")
    if not 1 <= a.interval_minutes <= 1440 or 1440 % a.interval_minutes:
        p.error("--interval-minutes must divide 1440 (e.g. 5, 6, 10, 15, 30, 60)")
    return a


def main(argv: list[str] | None = None) -> int:
    a = parse_args(argv)
    t0 = time.perf_counter()
    log = (lambda *_: None) if a.quiet else (lambda *m: print(*m, file=sys.stderr, flush=True))

    source = "built-in"
    week = months = None
    if not a.builtin_profile:
        try:
            week, months = profile_from_csv(a.profile)
            source = a.profile
        except (OSError, ValueError, KeyError) as e:
            log(f"gen_history: profile {a.profile!r} not usable ({e}); using built-in profile")
    if week is None:
        week, months = builtin_profile()
    if a.western_week and source != "built-in":
        # Israeli week: Sunday (6) is the first working day. Move Sun->Mon, Mon->Tue, ...
        week = [week[(d - 1) % 7] for d in range(7)]

    interval = a.interval_minutes
    per_day = 1440 // interval
    start = dt.date.fromisoformat(a.start)
    start_dt = dt.datetime(start.year, start.month, start.day)
    start_wd = start.weekday()
    n_int = a.days * per_day
    rng = random.Random(a.seed)
    rates = minute_rates(week)
    season = month_factor_by_day(months, start, a.days)

    # Timestamp strings for every interval, shared by all regions.
    step = dt.timedelta(minutes=interval)
    stamps = [(start_dt + step * i).isoformat(timespec="seconds") for i in range(n_int)]

    width = max(3, len(str(a.regions)))
    total_rows = a.regions * n_int
    log(
        f"gen_history: {a.regions} regions x {a.days} days x {per_day} intervals = "
        f"{total_rows:,} rows; shape from {source}"
    )

    gauss = rng.gauss
    rand = rng.random
    exp = math.exp
    sqrt = math.sqrt
    profiles: dict[int, list[float]] = {}  # clock offset -> interval profile
    ints_per_week = 7 * per_day

    out = sys.stdout if a.output == "-" else open(a.output, "w", buffering=1 << 20, newline="")
    try:
        out.write("timestamp,region,contacts,aht_seconds\n")
        for r in range(a.regions):
            name = f"region_{r + 1:0{width}d}"
            # Volume level: mean contacts per hour, log-normal around ~60/h (roughly 5..700/h).
            level = exp(gauss(math.log(60.0), 0.8))
            offset = rng.choice((-60, 0, 0, 0, 0, 60))
            prof = profiles.get(offset)
            if prof is None:
                prof = profiles[offset] = interval_profile(rates, interval, offset)
            trend = gauss(0.05, 0.08)  # relative change over the whole period
            aht_base = rng.uniform(210.0, 340.0)
            aht_night = rng.uniform(1.0, 1.15)  # longer handling outside business hours
            day_sd = rng.uniform(0.03, 0.10)  # day-to-day overdispersion
            peak_rate = max(prof)
            lines: list[str] = []
            append = lines.append
            for d in range(a.days):
                day_mult = level * season[d] * (1.0 + trend * d / a.days) * max(0.2, gauss(1.0, day_sd))
                wk0 = ((start_wd + d) % 7) * per_day
                i0 = d * per_day
                for j in range(per_day):
                    base = prof[wk0 + j]
                    mu = base * day_mult
                    if mu < 12.0:
                        # exact Poisson (Knuth) for small means, where N(mu, mu) is poor
                        lim = exp(-mu)
                        k = 0
                        p = rand()
                        while p > lim:
                            k += 1
                            p *= rand()
                        c = float(k)
                    else:
                        c = float(round(gauss(mu, sqrt(mu))))
                        if c < 0.0:
                            c = 0.0
                    if c > 0.0 and rand() < HALF_COUNT_P:
                        c -= 0.5
                    # AHT: busier intervals are closer to the region's base; quiet ones
                    # (nights) a bit longer and noisier (an average of few calls).
                    busy = base / peak_rate
                    aht = aht_base * (aht_night - (aht_night - 1.0) * busy) + gauss(0.0, 60.0 / sqrt(c + 1.0))
                    if aht < 180.0:
                        aht = 180.0 + (180.0 - aht) * 0.25
                    elif aht > 400.0:
                        aht = 400.0 - (aht - 400.0) * 0.25
                    append(f"{stamps[i0 + j]},{name},{c:.1f},{aht:.1f}\n")
            out.write("".join(lines))
            if not a.quiet and (r + 1) % max(1, a.regions // 10) == 0:
                log(f"gen_history: {r + 1}/{a.regions} regions ({time.perf_counter() - t0:.1f} s)")
    finally:
        if out is not sys.stdout:
            out.close()
    log(f"gen_history: wrote {total_rows:,} rows to {a.output} in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
