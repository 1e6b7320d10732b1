#!/usr/bin/env python3
"""Write the inputs of the roster scale benchmark (benches/roster_scale.sh).

  make_roster_scale.py requirement OUT WEEKS   a 24/7 requirement at 30 minutes, WEEKS weeks
                                               from Monday 2024-01-01, region ``all``: a night
                                               floor of 20 agents, a day peak of about 76,
                                               weekends lighter (deterministic, no randomness);
                                               250 agents of 20-40 h cover it with some slack
  make_roster_scale.py peak OUT AGENTS         one 30-minute interval (Monday 2024-01-01 10:00)
                                               needing AGENTS agents
  make_roster_scale.py agents OUT COUNT        COUNT agents (seeded): 40, 30 or 20 h contracts,
                                               some fixed days off, a preferred start, some
                                               preferred days off, weights 1-3

Python standard library only.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import sys

START = dt.datetime(2024, 1, 1)
STEP = dt.timedelta(minutes=30)
DAY_LEVEL = [1.00, 0.97, 0.95, 0.95, 0.92, 0.70, 0.60]  # Monday .. Sunday
HEADER = "timestamp,region,agents_required\n"


def required(i: int) -> int:
    day, slot = divmod(i, 48)
    hour = (slot + 0.5) / 2.0
    shape = (math.exp(-((hour - 10.5) / 3.0) ** 2)
             + 0.8 * math.exp(-((hour - 15.0) / 3.0) ** 2)
             + 0.4 * math.exp(-((hour - 20.0) / 2.0) ** 2))
    return round(20 + 56 * DAY_LEVEL[day % 7] * min(shape, 1.0))


def requirement(path: str, weeks: int) -> None:
    with open(path, "w") as f:
        f.write(HEADER)
        for i in range(weeks * 7 * 48):
            f.write(f"{(START + i * STEP):%Y-%m-%dT%H:%M:%S},all,{required(i)}\n")


def peak(path: str, agents: int) -> None:
    with open(path, "w") as f:
        f.write(HEADER)
        f.write(f"{START + dt.timedelta(hours=10):%Y-%m-%dT%H:%M:%S},all,{agents}\n")


def agents(path: str, count: int) -> None:
    random.seed(11)
    starts = ["06:00", "07:00", "08:00", "09:00", "10:00", "12:00", "14:00", "16:00", "22:00"]
    days_off = ["", "", "", "", "Sat,Sun", "Fri;Sat", "Sun Mon"]
    with open(path, "w") as f:
        f.write("agent_id,name,contract_hours_per_week,days_off,preferred_start,"
                "preferred_days_off,preference_weight\n")
        for k in range(count):
            off = random.choice(days_off)
            wish = random.choice(["", "", "Sat Sun", "Sun"]) if not off else ""
            f.write(f"a{k:05d},Agent {k},{random.choice([40, 40, 40, 30, 20])},\"{off}\","
                    f"{random.choice(starts)},{wish},{random.choice([1, 1, 2, 3])}\n")


def main() -> int:
    if len(sys.argv) != 4 or sys.argv[1] not in ("requirement", "peak", "agents"):
        sys.exit(__doc__)
    kind, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    {"requirement": requirement, "peak": peak, "agents": agents}[kind](path, n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
