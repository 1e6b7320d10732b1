#!/usr/bin/env bash
# Scheduling comparison: `wfm schedule` (release build, default templates) vs pyworkforce's
# MinRequiredResources (CP-SAT) on the same one-week requirement and the same shifts.
#
#   bash benches/compare_schedule.sh
#
# Problem (both tools): 336 x 30-minute intervals (benches/data/week_req.csv, written by
# benches/make_week_requirement.py from /tmp/req30.csv if present, else a built-in shape);
# shifts start at every 30-minute point and last 4, 6, 8, 10 or 12 h, no breaks; cost =
# paid hours; hard coverage; cyclic week (a shift running past the end wraps to the start).
# pyworkforce gets the wrap through num_days=1, periods=336 and one 0/1 coverage list of
# length 336 per shift (see benches/pyworkforce_schedule.py). Time limit 60 s, 2 workers.
#
# Environment:
#   WFM_BIN          wfm binary (default $CARGO_TARGET_DIR/release/wfm if CARGO_TARGET_DIR is
#                    set, else target/release/wfm). Not built here.
#   WFM_BENCH_VENV   Python venv with pyworkforce (default benches/data/.venv; must exist).
#   WFM_BENCH_PYTHON Python for the requirement generator (default python3).
#   WFM_BENCH_RUNS   runs of each tool (default 3); the medians are reported.
#
# Output: the comparison on stdout; plans and coverage under /tmp (wfm_sched_*.csv,
# pyworkforce_sched_plan.csv). Writes benches/data/week_req.csv (git-ignored).
set -euo pipefail

BENCH_NAME=compare_schedule
DEFAULT_RUNS=3
# shellcheck source=benches/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

REQ="$DATA_DIR/week_req.csv"
WFM_SHIFTS="/tmp/wfm_sched_shifts.csv"
WFM_COV="/tmp/wfm_sched_coverage.csv"
PWF_PLAN="/tmp/pyworkforce_sched_plan.csv"
TIME_LIMIT=60
PY="$VENV/bin/python"

[[ -x "$BIN" ]] || die "no wfm binary at $BIN: run 'cargo build --release' (or set WFM_BIN)"
[[ -x "$PY" ]] || die "no venv at $VENV (create it and pip install pyworkforce, or set WFM_BENCH_VENV)"
"$PY" -c 'import pyworkforce.scheduling' 2>/dev/null || die "pyworkforce is not installed in $VENV"

"$SYS_PY" benches/make_week_requirement.py -o "$REQ"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# (a) wfm ------------------------------------------------------------------------------------
wfm_walls=() wfm_solves=()
for ((i = 0; i < RUNS; i++)); do
    t0=$(now)
    "$BIN" schedule "$REQ" -o "$WFM_SHIFTS" --coverage "$WFM_COV" --baseline none \
        --time-limit "$TIME_LIMIT" > /tmp/wfm_sched_table.txt 2>&1 || { cat /tmp/wfm_sched_table.txt >&2; die "wfm schedule failed"; }
    t1=$(now)
    wfm_walls+=("$(elapsed "$t0" "$t1")")
    wfm_solves+=("$(awk -F'┆' '/solve time/ { gsub(/[^0-9.]/, "", $2); print $2 }' /tmp/wfm_sched_table.txt)")
done
field() { awk -F'┆' -v k="$1" 'index($1, k) { sub(/^ +/, "", $2); sub(/ +│?$/, "", $2); print $2 }' /tmp/wfm_sched_table.txt; }
wfm_paid=$(field "paid hours")
wfm_status=$(field "solver")
wfm_gap=$(field "gap to LP bound")
# coverage.csv: every difference >= 0, one row per interval; and an independent recount of
# the scheduled agents from shifts.csv (with the cyclic wrap) against coverage.csv.
read -r wfm_rows wfm_under wfm_over wfm_recount wfm_paid_csv < <("$PY" - "$REQ" "$WFM_SHIFTS" "$WFM_COV" <<'EOF'
import csv, datetime as dt, sys
req_path, shifts_path, cov_path = sys.argv[1:4]
req = list(csv.DictReader(open(req_path, newline="")))
cov = list(csv.DictReader(open(cov_path, newline="")))
start = dt.datetime.fromisoformat(req[0]["timestamp"])
n = len(req)
under = sum(1 for r in cov if int(r["difference"]) < 0)
over = sum(max(0, int(r["difference"])) for r in cov) / 2
sched = [0] * n
paid = 0.0
for s in csv.DictReader(open(shifts_path, newline="")):
    t = dt.datetime.fromisoformat(f"{s['date']}T{s['start']}")
    length = round(float(s["paid_hours"]) * 2)
    a = int(s["agents"])
    paid += float(s["paid_hours"]) * a
    first = int((t - start).total_seconds() // 1800)
    for k in range(length):
        sched[(first + k) % n] += a
ok = len(cov) == n and all(int(c["scheduled"]) == sched[i] and int(c["required"]) == int(float(q["agents_required"]))
                           for i, (c, q) in enumerate(zip(cov, req)))
print(len(cov), under, f"{over:g}", "ok" if ok else "MISMATCH", f"{paid:g}")
EOF
)
wfm_wall=$(printf '%s\n' "${wfm_walls[@]}" | median)
wfm_solve=$(printf '%s\n' "${wfm_solves[@]}" | median)

# (b) pyworkforce ----------------------------------------------------------------------------
pwf_walls=() pwf_solves=() pwf_cpsats=()
for ((i = 0; i < RUNS; i++)); do
    t0=$(now)
    "$PY" benches/pyworkforce_schedule.py "$REQ" --time-limit "$TIME_LIMIT" --workers 2 --plan "$PWF_PLAN" \
        > /tmp/pyworkforce_sched_out.txt || { cat /tmp/pyworkforce_sched_out.txt >&2; die "pyworkforce_schedule.py failed"; }
    t1=$(now)
    pwf_walls+=("$(elapsed "$t0" "$t1")")
    pwf_solves+=("$(sed -n 's/^solve_wall_s=//p' /tmp/pyworkforce_sched_out.txt)")
    pwf_cpsats+=("$(sed -n 's/^cpsat_wall_s=//p' /tmp/pyworkforce_sched_out.txt)")
done
kv() { sed -n "s/^$1=//p" /tmp/pyworkforce_sched_out.txt; }
pwf_wall=$(printf '%s\n' "${pwf_walls[@]}" | median)
pwf_solve=$(printf '%s\n' "${pwf_solves[@]}" | median)
pwf_cpsat=$(printf '%s\n' "${pwf_cpsats[@]}" | median)

# (c) report ---------------------------------------------------------------------------------
pwf_ver=$("$PY" -c 'from importlib.metadata import version; print(version("pyworkforce"), version("ortools"))')
echo
echo "Scheduling $REQ ($(($(wc -l < "$REQ") - 1)) x 30 min, cyclic week; shifts every 30 min x 4/6/8/10/12 h; cost = paid hours)"
echo "$(kv problem)"
echo "medians of $RUNS runs; time limit ${TIME_LIMIT} s; pyworkforce/ortools: $pwf_ver"
printf '  %-34s %14s %18s\n' "" "wfm schedule" "pyworkforce MinReq"
printf '  %-34s %14s %18s\n' "paid hours" "$wfm_paid" "$(kv paid_hours)"
printf '  %-34s %14s %18s\n' "status" "$wfm_status" "$(kv status)"
printf '  %-34s %14s %18s\n' "gap to bound" "$wfm_gap" "$(kv gap)"
printf '  %-34s %14s %18s\n' "solve time, s (as reported)" "$wfm_solve" "$pwf_solve"
printf '  %-34s %14s %18s\n' "  of which CP-SAT search, s" "-" "$pwf_cpsat"
printf '  %-34s %14s %18s\n' "whole process, s" "$wfm_wall" "$pwf_wall"
printf '  %-34s %14s %18s\n' "covers every interval" "$([[ $wfm_under == 0 ]] && echo yes || echo "no ($wfm_under)")" "$(kv covered)"
printf '  %-34s %14s %18s\n' "over-staffing, agent-hours" "$wfm_over" "$(kv over_agent_hours)"
echo "  wfm: coverage.csv rows $wfm_rows, intervals with difference < 0: $wfm_under;" \
    "recount from shifts.csv (with wrap) vs coverage.csv: $wfm_recount; paid hours from shifts.csv: $wfm_paid_csv"
echo "  wfm whole-process runs: ${wfm_walls[*]}; pyworkforce whole-process runs: ${pwf_walls[*]}"
echo "  pyworkforce solve time = MinRequiredResources(...) + .solve() (model building in Python + CP-SAT), after imports"
