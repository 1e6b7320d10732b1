#!/usr/bin/env python3
"""Peer forecast for `wfm forecast`: Nixtla statsforecast's MSTL on a long-format contact history.

Input: a CSV with ``timestamp,region,contacts[,aht_seconds]``, or ``timestamp,contacts``
without a region column (then a single series called "all"). AHT is ignored. Timestamps are
interval starts, ISO 8601 without an offset, as `wfm` reads them.

Model: ``MSTL(season_length=[per_day, per_week])`` with its default trend forecaster
(``AutoETS(model="ZZN")``), where per_day = 1440 / interval minutes and per_week = 7 * per_day,
run through ``StatsForecast(models=[...], freq=..., n_jobs=2)`` and its ``forecast`` method
(fit and predict in one pass) with ``level=[80]``.

Modes:

``--mode forecast``
    Fit on each region's full history and forecast ``--horizon-days`` days. The time of the
    fit+predict call (without import, CSV reading and writing) goes to stderr as
    ``statsforecast_mstl: fit+predict X s (N series)``. ``--repeat 2`` runs the same call
    again in the same process and prints its time too, so the first (cold) and a later (warm)
    call can be told apart; ``--timing-log FILE`` appends each time (one per line) to FILE.
    ``-o FILE`` writes the forecast as CSV.

``--mode backtest --months 1999-09,1999-10 [--holidays FILE]``
    For each month, fit on everything before the month's first day and forecast the whole
    month; score against the actuals on days that are not in the holidays file (``date,name``):
    interval WAPE = sum|y - yhat| / sum y, daily WAPE (the same on daily sums) and the share of
    actuals inside the 80 % prediction interval. Forecasts and bounds are clipped at 0.
    Prints a table per month and the mean over the months; ``--json FILE`` saves the numbers.

Gaps inside a series (missing intervals) are filled with 0 contacts, and their count is
reported; MSTL cannot take missing values.

Example:
    benches/data/.venv/bin/python benches/statsforecast_mstl.py data/anonbank_1999_hourly.csv \\
        --mode backtest --months 1999-09,1999-10,1999-11,1999-12 \\
        --holidays data/anonbank_1999_holidays.csv
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

# statsforecast starts worker processes for n_jobs > 1; keep BLAS from oversubscribing the cores.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from statsforecast import StatsForecast  # noqa: E402
from statsforecast.models import MSTL  # noqa: E402

LEVEL = 80


def log(msg: str) -> None:
    print(f"statsforecast_mstl: {msg}", file=sys.stderr, flush=True)


def read_history(path: str, resample_minutes: int | None) -> tuple[pd.DataFrame, int, int]:
    """Return (df with unique_id, ds, y on a complete regular grid; interval minutes; gaps filled)."""
    raw = pd.read_csv(path)
    for col in ("timestamp", "contacts"):
        if col not in raw.columns:
            sys.exit(f"statsforecast_mstl: {path}: no column {col!r} (columns: {', '.join(raw.columns)})")
    region = raw["region"].astype(str) if "region" in raw.columns else pd.Series("all", index=raw.index)
    df = pd.DataFrame(
        {
            "unique_id": region,
            "ds": pd.to_datetime(raw["timestamp"], format="ISO8601"),
            "y": pd.to_numeric(raw["contacts"], errors="coerce").fillna(0.0).astype(float),
        }
    )
    if resample_minutes:
        minutes = int(resample_minutes)
        df["ds"] = df["ds"].dt.floor(f"{minutes}min")
    else:
        # the interval is the most common step between consecutive timestamps of a region
        steps = df.sort_values(["unique_id", "ds"]).groupby("unique_id")["ds"].diff().dropna()
        steps = steps[steps > pd.Timedelta(0)]
        if steps.empty:
            sys.exit(f"statsforecast_mstl: {path}: cannot infer the interval (give --resample-minutes)")
        minutes = int(steps.mode().iloc[0] / pd.Timedelta(minutes=1))
    if 1440 % minutes:
        sys.exit(f"statsforecast_mstl: an interval of {minutes} min does not divide a day")
    # sum duplicates / finer intervals into one row per interval
    df = df.groupby(["unique_id", "ds"], as_index=False, sort=True)["y"].sum()

    # complete grid per region, from its first to its last interval
    freq = f"{minutes}min"
    parts = []
    filled = 0
    for uid, g in df.groupby("unique_id", sort=True):
        idx = pd.date_range(g["ds"].iloc[0], g["ds"].iloc[-1], freq=freq)
        s = g.set_index("ds")["y"].reindex(idx)
        filled += int(s.isna().sum())
        parts.append(pd.DataFrame({"unique_id": uid, "ds": idx, "y": s.fillna(0.0).to_numpy()}))
    df = pd.concat(parts, ignore_index=True)
    return df, minutes, filled


def make_sf(minutes: int) -> StatsForecast:
    per_day = 1440 // minutes
    per_week = 7 * per_day
    return StatsForecast(models=[MSTL(season_length=[per_day, per_week])], freq=f"{minutes}min", n_jobs=2)


def fit_predict(df: pd.DataFrame, minutes: int, h: int) -> tuple[pd.DataFrame, float]:
    sf = make_sf(minutes)
    t0 = time.perf_counter()
    fc = sf.forecast(df=df, h=h, level=[LEVEL])
    elapsed = time.perf_counter() - t0
    fc = fc.reset_index() if "unique_id" not in fc.columns else fc
    return fc, elapsed


def mode_forecast(args, df: pd.DataFrame, minutes: int) -> None:
    per_day = 1440 // minutes
    h = args.horizon_days * per_day
    n = df["unique_id"].nunique()
    fc = None
    for i in range(max(1, args.repeat)):
        fc, elapsed = fit_predict(df, minutes, h)
        tag = "" if args.repeat <= 1 else (" [run 1, cold]" if i == 0 else f" [run {i + 1}, warm]")
        log(f"fit+predict {elapsed:.3f} s ({n} series){tag}")
        if args.timing_log:
            with open(args.timing_log, "a") as fh:
                fh.write(f"{elapsed:.3f}\n")
    if args.output:
        out = fc.rename(
            columns={"unique_id": "region", "ds": "timestamp", "MSTL": "forecast",
                     f"MSTL-lo-{LEVEL}": "lower", f"MSTL-hi-{LEVEL}": "upper"}
        )
        for col in ("forecast", "lower", "upper"):
            out[col] = out[col].clip(lower=0.0)
        out["timestamp"] = out["timestamp"].dt.strftime("%Y-%m-%dT%H:%M:%S")
        out[["timestamp", "region", "forecast", "lower", "upper"]].to_csv(
            args.output, index=False, float_format="%.3f"
        )
        log(f"wrote {args.output}")


def read_holidays(path: str | None) -> set:
    if not path:
        return set()
    hol = pd.read_csv(path)
    col = "date" if "date" in hol.columns else hol.columns[0]
    return set(pd.to_datetime(hol[col].astype(str).str.strip(), format="%Y-%m-%d").dt.date)


def score(part: pd.DataFrame) -> dict:
    y = part["y"].to_numpy()
    f = part["f"].to_numpy()
    lo = part["lo"].to_numpy()
    hi = part["hi"].to_numpy()
    daily = part.groupby(part["ds"].dt.date)[["y", "f"]].sum()
    sy = float(y.sum())
    sdy = float(daily["y"].sum())
    return {
        "intervals": int(len(part)),
        "days": int(len(daily)),
        "actual": sy,
        "forecast": float(f.sum()),
        "wape": float(np.abs(y - f).sum() / sy) if sy > 0 else float("nan"),
        "daily_wape": float(np.abs(daily["y"] - daily["f"]).sum() / sdy) if sdy > 0 else float("nan"),
        "coverage80": float(((y >= lo) & (y <= hi)).mean()) if len(y) else float("nan"),
    }


def mode_backtest(args, df: pd.DataFrame, minutes: int) -> None:
    if not args.months:
        sys.exit("statsforecast_mstl: --mode backtest needs --months YYYY-MM[,YYYY-MM...]")
    holidays = read_holidays(args.holidays)
    per_day = 1440 // minutes
    regions = sorted(df["unique_id"].unique())
    rows = []  # one dict per (month, region), plus pooled rows when several regions
    for month in [m.strip() for m in args.months.split(",") if m.strip()]:
        start = pd.Timestamp(f"{month}-01")
        end = start + pd.offsets.MonthBegin(1)
        days = (end - start).days
        h = days * per_day
        train = df[df["ds"] < start]
        actual = df[(df["ds"] >= start) & (df["ds"] < end)]
        if train.empty:
            sys.exit(f"statsforecast_mstl: no history before {month}")
        fc, elapsed = fit_predict(train, minutes, h)
        fc = fc.rename(columns={"MSTL": "f", f"MSTL-lo-{LEVEL}": "lo", f"MSTL-hi-{LEVEL}": "hi"})
        for col in ("f", "lo", "hi"):
            fc[col] = fc[col].clip(lower=0.0)
        m = actual.merge(fc[["unique_id", "ds", "f", "lo", "hi"]], on=["unique_id", "ds"], how="left")
        if m["f"].isna().any():
            sys.exit(f"statsforecast_mstl: {month}: forecast does not cover all actuals "
                     f"(does the history end right before the month?)")
        m = m[~m["ds"].dt.date.isin(holidays)]
        excluded = sorted(d for d in holidays if start.date() <= d < end.date())
        log(f"{month}: trained on {train['ds'].min():%Y-%m-%d}..{train['ds'].max():%Y-%m-%d %H:%M}, "
            f"h={h}, fit+predict {elapsed:.2f} s, holidays excluded: {', '.join(map(str, excluded)) or '-'}")
        for uid in regions:
            part = m[m["unique_id"] == uid]
            if part.empty:
                continue
            rows.append({"month": month, "region": uid, "fit_predict_s": elapsed,
                         "holidays_excluded": len(excluded), **score(part)})
        if len(regions) > 1:
            rows.append({"month": month, "region": "(pooled)", "fit_predict_s": elapsed,
                         "holidays_excluded": len(excluded), **score(m)})

    res = pd.DataFrame(rows)
    print(f"statsforecast {__import__('statsforecast').__version__} MSTL(season_length=[{per_day}, {7 * per_day}]), "
          f"trend AutoETS(ZZN); {args.history}, {minutes}-min intervals"
          f"{' (resampled)' if args.resample_minutes else ''}; holidays: {args.holidays or 'none'}")
    print("Scored on non-holiday days; forecasts clipped at 0; coverage = share of actuals in the 80% interval.\n")
    hdr = f"{'month':<8} {'region':<12} {'days':>4} {'actual':>10} {'forecast':>10} {'WAPE':>7} {'dailyWAPE':>9} {'cov80':>6} {'fit s':>6}"
    print(hdr)
    print("-" * len(hdr))
    for r in res.itertuples():
        print(f"{r.month:<8} {str(r.region)[:12]:<12} {r.days:>4} {r.actual:>10.0f} {r.forecast:>10.0f} "
              f"{100 * r.wape:>6.2f}% {100 * r.daily_wape:>8.2f}% {100 * r.coverage80:>5.1f}% {r.fit_predict_s:>6.2f}")
    print("-" * len(hdr))
    means = res.groupby("region", sort=False)[["wape", "daily_wape", "coverage80", "fit_predict_s"]].mean()
    for region, r in means.iterrows():
        print(f"{'mean':<8} {str(region)[:12]:<12} {'':>4} {'':>10} {'':>10} "
              f"{100 * r.wape:>6.2f}% {100 * r.daily_wape:>8.2f}% {100 * r.coverage80:>5.1f}% {r.fit_predict_s:>6.2f}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"history": args.history, "interval_minutes": minutes, "holidays": args.holidays,
                       "months": rows,
                       "mean": {str(k): v for k, v in means.to_dict(orient="index").items()}}, fh, indent=2)
        log(f"wrote {args.json}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("history", help="long-format CSV: timestamp[,region],contacts[,aht_seconds]")
    ap.add_argument("--mode", choices=["forecast", "backtest"], default="forecast")
    ap.add_argument("--resample-minutes", type=int, default=None,
                    help="sum contacts to this interval first (e.g. 30)")
    ap.add_argument("--horizon-days", type=int, default=28, help="forecast mode: days ahead (default 28)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="forecast mode: run fit+predict this many times in the process (default 1)")
    ap.add_argument("-o", "--output", help="forecast mode: write the forecast CSV here")
    ap.add_argument("--timing-log", help="forecast mode: append each fit+predict time (s) to this file")
    ap.add_argument("--months", help="backtest mode: comma-separated YYYY-MM months to forecast")
    ap.add_argument("--holidays", help="backtest mode: CSV date,name of days not scored")
    ap.add_argument("--json", help="backtest mode: write the scores as JSON here")
    args = ap.parse_args()

    df, minutes, filled = read_history(args.history, args.resample_minutes)
    n = df["unique_id"].nunique()
    log(f"{args.history}: {n} series, {len(df)} intervals of {minutes} min"
        f"{f', {filled} missing intervals filled with 0' if filled else ''}")
    if args.mode == "forecast":
        mode_forecast(args, df, minutes)
    else:
        mode_backtest(args, df, minutes)


if __name__ == "__main__":
    main()
