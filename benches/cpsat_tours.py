"""The tour model of `wfm roster` as an OR-Tools CP-SAT model, for benches/compare_roster.sh.

Same rules and shapes as src/roster/tours.rs with the default rules and templates: days-off
patterns of 2 or 3 consecutive weekdays kept every week, one shift (start every 30 min, length
4/6/8/10/12 h, no break, at most 24 - 11 h) per stretch of working days, weekly hours = days a
week x paid hours within contract +-10 % for each contract of the agents file. Minimise tours
(agents) subject to every interval of one region's requirement covered. Prints the agents,
CP-SAT's bound, its status and the time.

    python cpsat_tours.py REQUIREMENTS.csv AGENTS.csv SECONDS
"""
import csv
import datetime as dt
import sys
import time

from ortools.sat.python import cp_model

req_path, agents_path, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
began = time.time()
rows = list(csv.DictReader(open(req_path)))
stamps = [dt.datetime.fromisoformat(r["timestamp"]) for r in rows]
required = [int(float(r["agents_required"])) for r in rows]
interval = int((stamps[1] - stamps[0]).total_seconds() // 60)
first_day = stamps[0].date()
days = (stamps[-1].date() - first_day).days + 1
start_minute = int((stamps[0] - dt.datetime.combine(first_day, dt.time())).total_seconds() // 60)
contracts = sorted({float(a.get("contract_hours_per_week") or 40) for a in csv.DictReader(open(agents_path))} | {40.0})

patterns = []
for k in (2, 3):
    for r in range(7):
        patterns.append(frozenset((r + i) % 7 for i in range(k)))
lengths = [h for h in (4, 6, 8, 10, 12) if h <= 13]
shifts = [(start, h) for start in range(0, 1440, 30) for h in lengths]


def stretches(off):
    out, cur = [], []
    for d in range(days):
        if (first_day + dt.timedelta(days=d)).weekday() in off:
            if cur:
                out.append(cur)
                cur = []
        else:
            cur.append(d)
    if cur:
        out.append(cur)
    return out


def covered(shift, day):
    start, hours = shift
    first = day * 1440 + start - start_minute
    for m in range(first, first + hours * 60, interval):
        t = m // interval
        if 0 <= t < len(required):
            yield t


model = cp_model.CpModel()
by_interval = [[] for _ in required]
agents = []
for off in patterns:
    per_week = 7 - len(off)
    for c in contracts:
        fitting = [s for s in shifts if c * 0.9 - 1e-9 <= per_week * s[1] <= c * 1.1 + 1e-9]
        if not fitting:
            continue
        n = model.NewIntVar(0, 500, "")
        agents.append(n)
        for block in stretches(off):
            xs = []
            for s in fitting:
                x = model.NewIntVar(0, 500, "")
                xs.append(x)
                for d in block:
                    for t in covered(s, d):
                        by_interval[t].append(x)
            model.Add(sum(xs) == n)
for t, r in enumerate(required):
    if r > 0 and by_interval[t]:
        model.Add(sum(by_interval[t]) >= r)
model.Minimize(sum(agents))
built = time.time() - began
solver = cp_model.CpSolver()
solver.parameters.max_time_in_seconds = seconds
solver.parameters.num_workers = 2
solver.parameters.linearization_level = 2
status = solver.Solve(model)
print(
    f"cp-sat: {solver.ObjectiveValue():.0f} agents, bound {solver.BestObjectiveBound():.0f}, "
    f"{solver.StatusName(status).lower()}, model built in {built:.1f} s, solved in "
    f"{solver.WallTime():.1f} s"
)
