#!/usr/bin/env python3
"""Solve wfm's default shift-scheduling problem with pyworkforce's MinRequiredResources (CP-SAT).

Reads a requirements CSV (as ``wfm staff`` writes it; only ``timestamp`` and
``agents_required`` are used, one region, consecutive 30-minute intervals) and builds the
problem ``wfm schedule`` solves with its default templates: a shift may start at every
30-minute grid point of the horizon and last 4, 6, 8, 10 or 12 hours, no breaks; cost of a
shift = its length in hours (so the objective is paid hours); hard coverage (scheduled >=
required in every interval).

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
``--plan FILE``, also the non-zero shifts as ``start,length_hours,agents``.

Example:
    benches/data/.venv/bin/python benches/pyworkforce_schedule.py benches/data/week_req.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
import time

LENGTHS_H = [4, 6, 8, 10, 12]
PERIOD_MIN = 30


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("requirements", help="requirements CSV (timestamp,region,...,agents_required)")
    ap.add_argument("--time-limit", type=float, default=60.0, help="CP-SAT time limit, seconds (default 60)")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT workers (default 2)")
    ap.add_argument("--no-wrap", action="store_true", help="no cyclic wrap-around: drop shifts past the end")
    ap.add_argument("--plan", help="write the non-zero shifts here (start,length_hours,agents)")
    args = ap.parse_args()

    from pyworkforce.scheduling import MinRequiredResources  # imports excluded from the timing

    with open(args.requirements, newline="") as f:
        rows = list(csv.DictReader(f))
    regions = {r["region"] for r in rows}
    if len(regions) != 1:
        sys.exit(f"pyworkforce_schedule: expected one region, found {sorted(regions)}")
    stamps = [r["timestamp"] for r in rows]
    req = [int(float(r["agents_required"])) for r in rows]
    n = len(req)

    # shifts: every start on the grid x every length; 0/1 coverage over the whole horizon
    coverage: dict[str, list[int]] = {}
    cost: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    for start in range(n):
        for hours in LENGTHS_H:
            length = hours * 60 // PERIOD_MIN
            if args.no_wrap and start + length > n:
                continue
            cov = [0] * n
            for k in range(length):
                cov[(start + k) % n] = 1
            name = f"s{start}_h{hours}"
            coverage[name] = cov
            cost[name] = hours
            spans[name] = (start, length)

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
    print(f"problem={'cyclic (wrap-around)' if not args.no_wrap else 'no wrap (shifts past the end dropped)'}; "
          f"intervals={n}; shifts={len(coverage)}; sum_required={sum(req)}; max_required={max_req}")
    print(f"solve_wall_s={wall:.3f}")
    print(f"cpsat_wall_s={model.solver.WallTime():.3f}")
    if status not in ("OPTIMAL", "FEASIBLE"):
        print("paid_hours=NA")
        print("covered=NA")
        return 1

    x = {r["shift"]: int(r["resources"]) for r in solution["resources_shifts"] if r["resources"]}
    sched = [0] * n
    for name, agents in x.items():
        start, length = spans[name]
        for k in range(length):
            sched[(start + k) % n] += agents
    under = [p for p in range(n) if sched[p] < req[p]]
    over = sum(max(0, s - r) for s, r in zip(sched, req))
    paid = sum(cost[name] * a for name, a in x.items())
    bound = model.solver.BestObjectiveBound()
    gap = (paid - bound) / paid if paid else 0.0

    print(f"paid_hours={paid}")
    print(f"objective={solution['cost']:g}")
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
            w.writerow(["start", "length_hours", "agents"])
            for name in sorted(x, key=lambda k: spans[k]):
                start, length = spans[name]
                w.writerow([stamps[start], cost[name], x[name]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
