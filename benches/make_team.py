#!/usr/bin/env python3
"""Write a team sized for a requirement, and its dated time off (benches/roster_people.sh).

  make_team.py REQUIREMENTS AGENTS_OUT TIME_OFF_OUT SLACK [COUNT]

Per queue (the requirement's ``region``), agents are drawn (seeded) until their contracted
weekly hours reach SLACK times the weekly agent-hours the requirement asks for: contracts of
40 h (3 in 5), 30 h and 20 h, some fixed days off, a preferred start, some preferred days off,
preference weights 1-3. With COUNT, each queue gets exactly COUNT agents instead. A queue's
agents may work only it (a ``region`` column), unless the requirement has one queue.

About 8 % of the agents ask for dated time off: one to three whole days of the horizon, and
one in four of them a morning (08:00-12:00) instead.

Python standard library only.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import random
import sys

STARTS = ["06:00", "07:00", "08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "16:00"]
DAYS_OFF = ["", "", "", "", "", "Sat Sun", "Fri Sat", "Sun Mon"]
CONTRACTS = [40, 40, 40, 30, 20]


def main() -> None:
    req_path, agents_path, time_off_path, slack = sys.argv[1:5]
    count = int(sys.argv[5]) if len(sys.argv) > 5 else None
    hours: dict[str, float] = collections.defaultdict(float)
    stamps = []
    with open(req_path, newline="") as f:
        for row in csv.DictReader(f):
            stamps.append(dt.datetime.fromisoformat(row["timestamp"]))
            hours[row["region"]] += int(row["agents_required"])
    step_hours = min(b - a for a, b in zip(sorted(set(stamps)), sorted(set(stamps))[1:]))
    step_hours = step_hours.total_seconds() / 3600
    first, last = min(stamps).date(), max(stamps).date()
    weeks = ((last - first).days + 1) / 7
    rng = random.Random(7)
    queues = sorted(hours)
    with open(agents_path, "w") as f:
        f.write("agent_id,name," + ("region," if len(queues) > 1 else "")
                + "contract_hours_per_week,days_off,preferred_start,preferred_days_off,"
                "preference_weight\n")
        ids = []
        for queue in queues:
            weekly = hours[queue] * step_hours / weeks * float(slack)
            contracted, k = 0.0, 0
            while (count is None and contracted < weekly) or (count is not None and k < count):
                contract = rng.choice(CONTRACTS)
                off = rng.choice(DAYS_OFF)
                wish = rng.choice(["", "", "Sat Sun", "Sun"]) if not off else ""
                agent_id = f"{queue[:3].lower()}{k:03d}"
                region_cell = f"{queue}," if len(queues) > 1 else ""
                f.write(f"{agent_id},Agent {queue} {k},{region_cell}{contract},{off},"
                        f"{rng.choice(STARTS)},{wish},{rng.choice([1, 1, 2, 3])}\n")
                ids.append(agent_id)
                contracted += contract
                k += 1
    horizon = [first + dt.timedelta(days=d) for d in range((last - first).days + 1)]
    with open(time_off_path, "w") as f:
        f.write("agent_id,date,from,to\n")
        for agent_id in ids:
            if rng.random() >= 0.08:
                continue
            for day in sorted(rng.sample(horizon, rng.randint(1, 3))):
                if rng.random() < 0.25:
                    f.write(f"{agent_id},{day},08:00,12:00\n")
                else:
                    f.write(f"{agent_id},{day},,\n")


if __name__ == "__main__":
    main()
