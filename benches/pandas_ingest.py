#!/usr/bin/env python3
"""pandas peer for `wfm inspect`: read a long-format history CSV and summarise each region.

Input columns: ``timestamp,region,contacts`` (``aht_seconds`` and any others are read but not
summarised), as written by ``benches/gen_history.py``.

Per region it computes what ``wfm inspect`` summarises:
  first / last timestamp, rows, total contacts, mean contacts per day (over the calendar days
  that have rows), peak interval and its value, zero-contact intervals, contacts by weekday,
  and the weekday x hour mean profile (mean of hourly totals for each weekday and hour).

A short summary goes to stdout; the wall times (read, groupby, read+groupby) go to stderr as
one line starting with ``pandas_ingest:``. The timed part starts at ``read_csv`` and ends after
the last groupby, so interpreter start-up and ``import pandas`` are not in it (an external
timer such as hyperfine sees them too).

Usage:
    python benches/pandas_ingest.py benches/data/history_100x15m.csv
    python benches/pandas_ingest.py --engine pyarrow FILE   # if pyarrow is installed
"""

from __future__ import annotations

import argparse
import sys
import time

import pandas as pd

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def summarise(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    ts = df["timestamp"]
    contacts = df["contacts"]
    region = df["region"]

    g = df.groupby("region", sort=True)
    summary = g.agg(
        first=("timestamp", "min"),
        last=("timestamp", "max"),
        rows=("contacts", "size"),
        total=("contacts", "sum"),
    )
    summary["zero_intervals"] = (contacts == 0).groupby(region, sort=True).sum()

    # mean per day: daily totals, averaged over the days that have rows
    day = ts.dt.normalize()
    daily = contacts.groupby([region, day], sort=True).sum()
    summary["mean_per_day"] = daily.groupby(level=0).mean()
    summary["days"] = daily.groupby(level=0).size()

    # peak interval: first row holding the region's maximum
    peak_idx = g["contacts"].idxmax()
    peak = df.loc[peak_idx.to_numpy(), ["region", "timestamp", "contacts"]].set_index("region")
    summary["peak_at"] = peak["timestamp"]
    summary["peak"] = peak["contacts"]

    # contacts by weekday
    weekday = ts.dt.day_of_week
    by_weekday = contacts.groupby([region, weekday], sort=True).sum().unstack(fill_value=0.0)
    by_weekday = by_weekday.reindex(columns=range(7), fill_value=0.0)
    by_weekday.columns = WEEKDAYS

    # weekday x hour mean profile: hourly totals, then mean over the weeks
    hour_start = ts.dt.floor("h")
    hourly = contacts.groupby([region, hour_start], sort=True).sum()
    hs = hourly.index.get_level_values(1)
    profile = hourly.groupby(
        [hourly.index.get_level_values(0), hs.day_of_week, hs.hour], sort=True
    ).mean()
    profile.index.names = ["region", "weekday", "hour"]

    return {"summary": summary, "by_weekday": by_weekday, "profile": profile}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="pandas peer for `wfm inspect` (ingest benchmark)")
    p.add_argument("csv", help="long-format history CSV (timestamp,region,contacts[,...])")
    p.add_argument("--engine", default="c", choices=["c", "python", "pyarrow"], help="read_csv engine (default c)")
    p.add_argument("--full", action="store_true", help="print every region and the profile, not a short summary")
    a = p.parse_args(argv)

    t0 = time.perf_counter()
    df = pd.read_csv(a.csv, engine=a.engine)
    df["timestamp"] = pd.to_datetime(df["timestamp"], format="ISO8601")
    t1 = time.perf_counter()
    res = summarise(df)
    t2 = time.perf_counter()

    s = res["summary"]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(
            f"{len(df):,} rows, {len(s)} regions, {df['timestamp'].min()} .. {df['timestamp'].max()}, "
            f"{s['total'].sum():,.1f} contacts"
        )
        cols = ["first", "last", "rows", "total", "mean_per_day", "peak_at", "peak", "zero_intervals"]
        print(s[cols] if a.full else s[cols].head(5))
        if not a.full and len(s) > 5:
            print(f"... {len(s) - 5} more regions")
        bw = res["by_weekday"]
        print("contacts by weekday (all regions):", ", ".join(f"{d} {v:,.0f}" for d, v in bw.sum().items()))
        prof = res["profile"]
        if a.full:
            print(prof.unstack("hour").round(1).to_string())
        else:
            first = s.index[0]
            wide = prof.loc[first].unstack("hour")
            wide.index = [WEEKDAYS[i] for i in wide.index]
            print(f"weekday x hour mean profile, {first} (hours 0-23):")
            print(wide.round(0).astype("int64").to_string())

    print(
        f"pandas_ingest: read {t1 - t0:.3f} s, groupby {t2 - t1:.3f} s, "
        f"read+groupby {t2 - t0:.3f} s ({len(df):,} rows, pandas {pd.__version__}, engine {a.engine})",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
