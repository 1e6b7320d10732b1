#!/usr/bin/env python3
"""Solve wfm's shift-scheduling problem with pyworkforce's MinRequiredResources (CP-SAT).

Reads a requirements CSV (as ``wfm staff`` writes it; only ``timestamp`` and
``agents_required`` are used, one region, consecutive 30-minute intervals) and builds the
problem ``wfm schedule`` solves with its default templates: a shift may start at every
30-minute grid point of the horizon and last 4, 6, 8, 10 or 12 hours, no breaks; cost of a
shift = its length in hours (so the objective is paid hours); hard coverage (scheduled >=
required in every interval).

``--shifts FILE`` reads the templates from the TOML file ``wfm schedule --shifts FILE``
takes instead (read with tomllib; the keys ``lengths_hours``, ``start_step_minutes`` and
``[break]`` are supported, anything else is rejected). With a ``[break]`` table, every shift
of at least ``break.min_shift_hours`` gets one unpaid break of ``break.minutes``, starting
``earliest_after_start_minutes``, then every ``step_minutes``, up to
``latest_after_start_minutes`` after the shift start (a break that would not end inside the
shift is dropped), as in wfm. Each (start, length, break position) is a separate
pyworkforce shift whose 0/1 list has a 0 at its break intervals: agents on break do not
cover. The cost of a shift is its paid time (length minus break). CP-SAT needs integer
costs, so when some paid time is not a whole number of hours the costs are given in
half-hours (``cost_unit``); paid hours, objective and bound are reported in hours.

Wrap-around. pyworkforce's model is ``num_days`` independent days of ``periods`` periods;
``shifts_coverage[s]`` is a 0/1 list of length ``periods`` and a shift cannot run into the
next day. A shift crossing midnight therefore cannot be written with ``num_days=7,
periods=48``. It can be written exactly, though, by treating the whole horizon as one
"day": ``num_days=1, periods=N`` (N = 336 for a week) and giving every shift its own 0/1
list of length N, in which a shift that runs past the end of the horizon wraps to its
start. That is the cyclic problem ``wfm schedule`` solves, and it is the default here.
``--no-wrap`` instead drops shifts that would run past the end (a shift that ends exactly at
the end is kept), so the last intervals can only be covered by shifts starting at least 4 h
before the end.

pyworkforce sets ``solver.num_search_workers`` as a plain Python attribute, which CP-SAT
ignores (num_workers stays 0 = all cores). This script also sets
``solver.parameters.num_workers`` to ``--workers`` so the limit really applies.

Timing: ``solve_wall_s`` is the wall time of ``MinRequiredResources(...)`` + ``.solve()``
(pyworkforce building its CP-SAT model with Python loops, plus the solve), measured after
all imports and after reading the CSV and building the coverage lists; ``cpsat_wall_s`` is
CP-SAT's own ``WallTime()`` (the search alone).

Output on stdout: ``key=value`` lines (status, paid_hours, best_bound, gap, times,
covered, under_intervals, over_staffing agent-hours, agents-intervals, shifts used). With
``--plan FILE``, also the non-zero shifts as ``start,length_hours,agents``; when the
templates have a break, as ``start,length_hours,paid_hours,break_start,break_end,agents``
(timestamps of the horizon, wrapped; break cells empty for shifts without a break).

Examples:
    benches/data/.venv/bin/python benches/pyworkforce_schedule.py benches/data/week_req.csv
    benches/data/.venv/bin/python benches/pyworkforce_schedule.py benches/data/week_req.csv \
        --shifts shifts.toml --plan /tmp/plan.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import time
import tomllib

LENGTHS_H = [4, 6, 8, 10, 12]
PERIOD_MIN = 30
BREAK_KEYS = {"minutes", "min_shift_hours", "earliest_after_start_minutes", "latest_after_start_minutes",
              "step_minutes"}


def load_templates(path: str | None) -> dict:
    """The templates: wfm's defaults, or the TOML file (same defaults as wfm for missing keys)."""
    if path is None:
        return {"lengths_hours": list(LENGTHS_H), "start_step_minutes": PERIOD_MIN, "break": None}
    with open(path, "rb") as f:
        t = tomllib.load(f)
    unknown = set(t) - {"lengths_hours", "start_step_minutes", "break"}
    if unknown:
        sys.exit(f"pyworkforce_schedule: {path}: unsupported keys {sorted(unknown)}")
    out = {"lengths_hours": [float(h) for h in t["lengths_hours"]],
           "start_step_minutes": int(t.get("start_step_minutes", 30)), "break": None}
    if "break" in t:
        b = t["break"]
        if set(b) - BREAK_KEYS:
            sys.exit(f"pyworkforce_schedule: {path}: unsupported break keys {sorted(set(b) - BREAK_KEYS)}")
        out["break"] = {"minutes": int(b["minutes"]), "min_shift_hours": float(b.get("min_shift_hours", 6.0)),
                        "earliest": int(b["earliest_after_start_minutes"]),
                        "latest": int(b["latest_after_start_minutes"]), "step": int(b.get("step_minutes", 60))}
    grid = [out["start_step_minutes"]] + [round(h * 60) for h in out["lengths_hours"]]
    if out["break"]:
        grid += [out["break"]["minutes"], out["break"]["earliest"], out["break"]["step"]]
    if any(m <= 0 or m % PERIOD_MIN for m in grid) or any(h * 60 != round(h * 60) for h in out["lengths_hours"]):
        sys.exit(f"pyworkforce_schedule: {path}: lengths, steps and breaks must be positive multiples "
                 f"of {PERIOD_MIN} minutes")
    return out


def break_options(templates: dict, hours: float, length: int) -> list[tuple[int, int] | None]:
    """Break positions (offset, length) in periods for a shift of `hours` (`length` periods)."""
    b = templates["break"]
    if b is None or hours < b["min_shift_hours"]:
        return [None]
    opts = [(m // PERIOD_MIN, b["minutes"] // PERIOD_MIN) for m in range(b["earliest"], b["latest"] + 1, b["step"])]
    return [o for o in opts if o[0] + o[1] <= length]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("requirements", help="requirements CSV (timestamp,region,...,agents_required)")
    ap.add_argument("--time-limit", type=float, default=60.0, help="CP-SAT time limit, seconds (default 60)")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    ap.add_argument("--no-wrap", action="store_true", help="no cyclic wrap-around: drop shifts past the end")
    ap.add_argument("--shifts", metavar="FILE",
                    help="shift templates, the TOML file of `wfm schedule --shifts` (default: wfm's defaults)")
    ap.add_argument("--plan", help="write the non-zero shifts here (start,length_hours,agents)")
    args = ap.parse_args()
    templates = load_templates(args.shifts)
    has_breaks = templates["break"] is not None

    from pyworkforce.scheduling import MinRequiredResources  # imports excluded from the timing

    with open(args.requirements, newline="") as f:
        rows = list(csv.DictReader(f))
    regions = {r["region"] for r in rows}
    if len(regions) != 1:
        sys.exit(f"pyworkforce_schedule: expected one region, found {sorted(regions)}")
    stamps = [r["timestamp"] for r in rows]
    req = [int(float(r["agents_required"])) for r in rows]
    n = len(req)

    # shifts: every start on the grid x every length (x every break position); 0/1 coverage
    # over the whole horizon, 0 where the agent is on break
    minute_of_day = [(t.hour * 60 + t.minute) for t in map(dt.datetime.fromisoformat, stamps)]
    paid_periods: dict[str, int] = {}
    worked: dict[str, list[int]] = {}  # offsets (periods from the start) where the agent works
    spans: dict[str, tuple[int, int, tuple[int, int] | None, float]] = {}  # start, length, break, hours
    for start in range(n):
        if minute_of_day[start] % templates["start_step_minutes"]:
            continue
        for hours in templates["lengths_hours"]:
            length = round(hours * 60) // PERIOD_MIN
            if args.no_wrap and start + length > n:
                continue
            for brk in break_options(templates, hours, length):
                name = f"s{start}_h{hours:g}" + (f"_b{brk[0] * PERIOD_MIN}" if brk else "")
                worked[name] = [k for k in range(length) if brk is None or not brk[0] <= k < brk[0] + brk[1]]
                paid_periods[name] = len(worked[name])
                spans[name] = (start, length, brk, hours)
    # CP-SAT needs integer costs: hours if every paid time is whole hours, else half-hours
    per_hour = 60 // PERIOD_MIN
    scale = 1 if all(p % per_hour == 0 for p in paid_periods.values()) else per_hour
    cost = {name: p * scale // per_hour for name, p in paid_periods.items()}
    coverage: dict[str, list[int]] = {}
    for name, offs in worked.items():
        cov = [0] * n
        for k in offs:
            cov[(spans[name][0] + k) % n] = 1
        coverage[name] = cov

    max_req = max(req)
    # Redundant upper bounds (any optimal plan satisfies them): no shift needs more agents than
    # the largest requirement, and no interval more than that times the shifts covering it.
    covering = [0] * n
    for cov in coverage.values():
        for p, c in enumerate(cov):
            covering[p] += c
    max_shift = max(1, max_req)
    max_period = max(1, max_req * max(covering))

    t0 = time.perf_counter()
    model = MinRequiredResources(num_days=1, periods=n, shifts_coverage=coverage,
                                 required_resources=[req], max_period_concurrency=max_period,
                                 max_shift_concurrency=max_shift, cost_dict=cost,
                                 max_search_time=float(args.time_limit), num_search_workers=args.workers)
    model.solver.parameters.num_workers = args.workers
    solution = model.solve()
    wall = time.perf_counter() - t0

    status = solution["status"]
    print(f"status={status}")
    problem = (f"problem={'cyclic (wrap-around)' if not args.no_wrap else 'no wrap (shifts past the end dropped)'}; "
               f"intervals={n}; shifts={len(coverage)}; sum_required={sum(req)}; max_required={max_req}")
    if args.shifts:
        problem += f"; templates={args.shifts}"
    if scale != 1:
        problem += f"; cost_unit={1 / scale:g} h"
    print(problem)
    print(f"solve_wall_s={wall:.3f}")
    print(f"cpsat_wall_s={model.solver.WallTime():.3f}")
    if status not in ("OPTIMAL", "FEASIBLE"):
        print("paid_hours=NA")
        print("covered=NA")
        return 1

    x = {r["shift"]: int(r["resources"]) for r in solution["resources_shifts"] if r["resources"]}
    sched = [0] * n
    for name, agents in x.items():
        for k in worked[name]:
            sched[(spans[name][0] + k) % n] += agents
    under = [p for p in range(n) if sched[p] < req[p]]
    over = sum(max(0, s - r) for s, r in zip(sched, req))
    paid = sum(cost[name] * a for name, a in x.items()) / scale  # hours
    bound = model.solver.BestObjectiveBound() / scale
    gap = (paid - bound) / paid if paid else 0.0

    print(f"paid_hours={hours_text(paid)}")
    print(f"objective={solution['cost'] / scale:g}")
    print(f"best_bound={bound:g}")
    print(f"gap={gap:.4%}")
    print(f"agents_started={sum(x.values())}; distinct_shifts={len(x)}")
    print(f"covered={'yes' if not under else 'no'}")
    print(f"under_intervals={len(under)}")
    print(f"over_agent_intervals={over}")
    print(f"over_agent_hours={over * PERIOD_MIN / 60:g}")
    print(f"required_agent_hours={sum(req) * PERIOD_MIN / 60:g}")

    if args.plan:
        with open(args.plan, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            if not has_breaks:
                w.writerow(["start", "length_hours", "agents"])
            else:
                w.writerow(["start", "length_hours", "paid_hours", "break_start", "break_end", "agents"])
            for name in sorted(x, key=lambda k: spans[k][:2] + ((spans[k][2] or (-1, 0)),)):
                start, length, brk, hours = spans[name]
                if not has_breaks:
                    w.writerow([stamps[start], f"{hours:g}", x[name]])
                    continue
                bs = stamps[(start + brk[0]) % n] if brk else ""
                be = stamps[(start + brk[0] + brk[1]) % n] if brk else ""
                w.writerow([stamps[start], f"{hours:g}", hours_text(cost[name] / scale), bs, be, x[name]])
    return 0


def hours_text(h: float) -> str:
    """1212 -> "1212", 1168.5 -> "1168.5" (no exponent, no trailing zeros)."""
    return str(int(h)) if h == int(h) else f"{h:.2f}".rstrip("0")


if __name__ == "__main__":
    sys.exit(main())
