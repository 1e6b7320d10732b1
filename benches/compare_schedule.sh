#!/usr/bin/env bash
# Scheduling comparison: `wfm schedule` (release build) vs pyworkforce's MinRequiredResources
# (CP-SAT) on the same one-week requirement and the same shifts.
#
#   bash benches/compare_schedule.sh            # default templates, no breaks
#   bash benches/compare_schedule.sh --breaks   # shifts with an unpaid break (or WFM_BENCH_BREAKS=1)
#
# Problem (both tools): 336 x 30-minute intervals (benches/data/week_req.csv, written by
# benches/make_week_requirement.py from /tmp/req30.csv if present, else a built-in shape);
# shifts start at every 30-minute point and last 4, 6, 8, 10 or 12 h, no breaks; cost =
# paid hours; hard coverage; cyclic week (a shift running past the end wraps to the start).
# pyworkforce gets the wrap through num_days=1, periods=336 and one 0/1 coverage list of
# length 336 per shift (see benches/pyworkforce_schedule.py). Time limit 60 s, 2 workers.
#
# --breaks: the templates are the TOML below (written to /tmp/wfm_sched_breaks.toml and given
# to both tools as --shifts): starts every 30 min, lengths 4, 6, 8, 9, 10 h (break included);
# shifts of 6 h or more have one unpaid 30-minute break starting 150, 210 or 270 min after the
# shift start (one candidate shift per break position); agents on break do not cover; cost =
# paid hours = length - 0.5 h with a break. wfm runs twice: with its default --mip-gap (0.005)
# and with --mip-gap 0 (proven optimum). Every plan is recounted from its file (with the wrap,
# without the agents on break) against the requirement, and checked against the templates.
#
# Environment:
#   WFM_BIN          wfm binary (default $CARGO_TARGET_DIR/release/wfm if CARGO_TARGET_DIR is
#                    set, else target/release/wfm). Not built here.
#   WFM_BENCH_VENV   Python venv with pyworkforce (default benches/data/.venv; must exist).
#   WFM_BENCH_PYTHON Python for the requirement generator (default python3).
#   WFM_BENCH_RUNS   runs of each tool (default 3); the medians are reported.
#   WFM_BENCH_BREAKS 1: the break case, as --breaks.
#
# Output: the comparison on stdout; plans and coverage under /tmp (wfm_sched_*.csv,
# pyworkforce_sched_plan.csv; with --breaks wfm_sched_breaks*.csv and
# pyworkforce_sched_breaks_plan.csv). Writes benches/data/week_req.csv (git-ignored).
set -euo pipefail

BENCH_NAME=compare_schedule
DEFAULT_RUNS=3
# shellcheck source=benches/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BREAKS="${WFM_BENCH_BREAKS:-0}"
for arg in "$@"; do
    case "$arg" in
        --breaks) BREAKS=1 ;;
        -h | --help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$arg' (only --breaks)" ;;
    esac
done
[[ "$BREAKS" == 0 || "$BREAKS" == 1 ]] || die "WFM_BENCH_BREAKS must be 0 or 1, not '$BREAKS'"

REQ="$DATA_DIR/week_req.csv"
TIME_LIMIT=60
PY="$VENV/bin/python"
if [[ "$BREAKS" == 1 ]]; then
    TAG="wfm_sched_breaks"
    PWF_PLAN="/tmp/pyworkforce_sched_breaks_plan.csv"
    SHIFTS_TOML="/tmp/wfm_sched_breaks.toml"
    cat > "$SHIFTS_TOML" <<'EOF'
lengths_hours = [4, 6, 8, 9, 10]
start_step_minutes = 30
[break]
minutes = 30
min_shift_hours = 6
earliest_after_start_minutes = 150
latest_after_start_minutes = 270
step_minutes = 60
EOF
    SHIFTS_ARGS=(--shifts "$SHIFTS_TOML")
else
    TAG="wfm_sched"
    PWF_PLAN="/tmp/pyworkforce_sched_plan.csv"
    SHIFTS_TOML="-"
    SHIFTS_ARGS=()
fi
PWF_OUT="/tmp/pyworkforce_sched_out.txt"
[[ "$BREAKS" == 0 ]] || PWF_OUT="/tmp/pyworkforce_sched_breaks_out.txt"

[[ -x "$BIN" ]] || die "no wfm binary at $BIN: run 'cargo build --release' (or set WFM_BIN)"
[[ -x "$PY" ]] || die "no venv at $VENV (create it and pip install pyworkforce, or set WFM_BENCH_VENV)"
"$PY" -c 'import pyworkforce.scheduling' 2>/dev/null || die "pyworkforce is not installed in $VENV"

"$SYS_PY" benches/make_week_requirement.py -o "$REQ"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# Independent check of a plan file against the requirement (and, for wfm, its coverage.csv):
# recount the agents at work in every interval from the plan's rows, with the cyclic wrap and
# without the agents on break, and check every row against the templates (start on the step,
# a listed length, the break rule, paid hours = length - break).
#   check wfm REQ SHIFTS.csv COVERAGE.csv TOML|-   prints: coverage.csv rows, intervals with
#       difference < 0, over-staffing agent-hours (both from coverage.csv), recount vs
#       coverage.csv (ok|MISMATCH), paid hours from shifts.csv, intervals under-covered by the
#       recount, recount over-staffing agent-hours, templates (ok|bad:N), plan rows
#   check pwf REQ PLAN.csv TOML|-                 prints: intervals under-covered by the
#       recount, recount over-staffing agent-hours, paid hours, templates, plan rows
CHECK=$(cat <<'EOF'
import csv, datetime as dt, sys, tomllib
kind, req_path, plan_path = sys.argv[1:4]
cov_path = sys.argv[4] if kind == "wfm" else None
toml_path = sys.argv[-1]
req = list(csv.DictReader(open(req_path, newline="")))
start = dt.datetime.fromisoformat(req[0]["timestamp"])
n = len(req)
need = [int(float(q["agents_required"])) for q in req]
if toml_path == "-":
    tpl = {"lengths_hours": [4, 6, 8, 10, 12]}
else:
    tpl = tomllib.load(open(toml_path, "rb"))
lengths = {round(float(h) * 60) for h in tpl["lengths_hours"]}
step = int(tpl.get("start_step_minutes", 30))
brk = tpl.get("break")
def mins(clock):
    h, m = clock.split(":")
    return int(h) * 60 + int(m)
rows = []  # (start datetime, length min, break offset min or None, break min, paid hours, agents)
for s in csv.DictReader(open(plan_path, newline="")):
    if kind == "wfm":
        t = dt.datetime.fromisoformat(f"{s['date']}T{s['start']}")
        length = (mins(s["end"]) - mins(s["start"])) % 1440 or 1440
        off = (mins(s["break_start"]) - mins(s["start"])) % 1440 if s.get("break_start") else None
        blen = (mins(s["break_end"]) - mins(s["break_start"])) % 1440 if off is not None else 0
        paid = float(s["paid_hours"])
    else:
        t = dt.datetime.fromisoformat(s["start"])
        length = round(float(s["length_hours"]) * 60)
        horizon = n * 30
        if s.get("break_start"):
            bs, be = dt.datetime.fromisoformat(s["break_start"]), dt.datetime.fromisoformat(s["break_end"])
            off = round((bs - t).total_seconds() / 60) % horizon
            blen = round((be - bs).total_seconds() / 60) % horizon
        else:
            off, blen = None, 0
        paid = float(s.get("paid_hours") or s["length_hours"])
    rows.append((t, length, off, blen, paid, int(s["agents"])))
sched = [0] * n
paid_total = 0.0
bad = 0
for t, length, off, blen, paid, a in rows:
    paid_total += paid * a
    first = int((t - start).total_seconds() // 1800)
    for k in range(length // 30):
        if off is not None and off // 30 <= k < (off + blen) // 30:
            continue
        sched[(first + k) % n] += a
    ok = (t.hour * 60 + t.minute) % step == 0 and length in lengths and abs(paid * 60 - (length - blen)) < 1e-6
    if brk and length >= float(brk.get("min_shift_hours", 6)) * 60:
        e, l, st = int(brk["earliest_after_start_minutes"]), int(brk["latest_after_start_minutes"]), int(brk.get("step_minutes", 60))
        ok = ok and off is not None and blen == int(brk["minutes"]) and e <= off <= l and (off - e) % st == 0 and off + blen <= length
    else:
        ok = ok and off is None
    bad += not ok
rec_under = sum(1 for s, r in zip(sched, need) if s < r)
rec_over = sum(max(0, s - r) for s, r in zip(sched, need)) / 2
tail = [str(rec_under), f"{rec_over:g}"]
templates = "ok" if bad == 0 else f"bad:{bad}"
if kind == "wfm":
    cov = list(csv.DictReader(open(cov_path, newline="")))
    under = sum(1 for r in cov if int(r["difference"]) < 0)
    over = sum(max(0, int(r["difference"])) for r in cov) / 2
    ok = len(cov) == n and all(int(c["scheduled"]) == sched[i] and int(c["required"]) == need[i]
                               for i, c in enumerate(cov))
    print(len(cov), under, f"{over:g}", "ok" if ok else "MISMATCH", f"{paid_total:g}", *tail, templates, len(rows))
else:
    print(*tail, f"{paid_total:g}", templates, len(rows))
EOF
)

# A field of wfm's summary table (first region), e.g. `field TABLE "paid hours"`.
field() { awk -F'┆' -v k="$2" 'index($1, k) { sub(/^ +/, "", $2); sub(/ +│?$/, "", $2); print $2 }' "$1"; }

# run_wfm VAR SHIFTS COVERAGE TABLE [extra wfm args]: RUNS runs of `wfm schedule`; sets
# VAR_walls (all whole-process times), VAR_wall and VAR_solve (medians), VAR_paids (paid hours
# of each run) and, from the last run's table, VAR_paid, VAR_status and VAR_gap.
run_wfm() {
    local var="$1" shifts="$2" cov="$3" table="$4" t0 t1 i
    shift 4
    local walls=() solves=() paids=()
    for ((i = 0; i < RUNS; i++)); do
        t0=$(now)
        "$BIN" schedule "$REQ" -o "$shifts" --coverage "$cov" --baseline none \
            --time-limit "$TIME_LIMIT" "$@" > "$table" 2>&1 || { cat "$table" >&2; die "wfm schedule failed"; }
        t1=$(now)
        walls+=("$(elapsed "$t0" "$t1")")
        solves+=("$(awk -F'┆' '/solve time/ { gsub(/[^0-9.]/, "", $2); print $2 }' "$table")")
        paids+=("$(field "$table" "paid hours")")
    done
    printf -v "${var}_walls" '%s' "${walls[*]}"
    printf -v "${var}_paids" '%s' "${paids[*]}"
    printf -v "${var}_wall" '%s' "$(printf '%s\n' "${walls[@]}" | median)"
    printf -v "${var}_solve" '%s' "$(printf '%s\n' "${solves[@]}" | median)"
    printf -v "${var}_paid" '%s' "$(field "$table" "paid hours")"
    printf -v "${var}_status" '%s' "$(field "$table" "solver")"
    printf -v "${var}_gap" '%s' "$(field "$table" "gap to LP bound")"
}

# (a) wfm ------------------------------------------------------------------------------------
# set by run_wfm (through printf -v)
wfm_walls="" wfm_paids="" wfm_wall="" wfm_solve="" wfm_paid="" wfm_status="" wfm_gap=""
wfm0_walls="" wfm0_paids="" wfm0_wall="" wfm0_solve="" wfm0_paid="" wfm0_status="" wfm0_gap=""
WFM_SHIFTS="/tmp/${TAG}_shifts.csv"
WFM_COV="/tmp/${TAG}_coverage.csv"
run_wfm wfm "$WFM_SHIFTS" "$WFM_COV" "/tmp/${TAG}_table.txt" "${SHIFTS_ARGS[@]}"
read -r wfm_rows wfm_under wfm_over wfm_recount wfm_paid_csv wfm_rec_under wfm_rec_over wfm_tpl wfm_nrows \
    < <("$PY" -c "$CHECK" wfm "$REQ" "$WFM_SHIFTS" "$WFM_COV" "$SHIFTS_TOML")
if [[ "$BREAKS" == 1 ]]; then
    WFM0_SHIFTS="/tmp/${TAG}_gap0_shifts.csv"
    WFM0_COV="/tmp/${TAG}_gap0_coverage.csv"
    run_wfm wfm0 "$WFM0_SHIFTS" "$WFM0_COV" "/tmp/${TAG}_gap0_table.txt" "${SHIFTS_ARGS[@]}" --mip-gap 0
    read -r wfm0_rows wfm0_under wfm0_over wfm0_recount wfm0_paid_csv wfm0_rec_under wfm0_rec_over wfm0_tpl wfm0_nrows \
        < <("$PY" -c "$CHECK" wfm "$REQ" "$WFM0_SHIFTS" "$WFM0_COV" "$SHIFTS_TOML")
fi

# (b) pyworkforce ----------------------------------------------------------------------------
pwf_walls=() pwf_solves=() pwf_cpsats=() pwf_paids=()
for ((i = 0; i < RUNS; i++)); do
    t0=$(now)
    "$PY" benches/pyworkforce_schedule.py "$REQ" --time-limit "$TIME_LIMIT" --workers 2 --plan "$PWF_PLAN" \
        "${SHIFTS_ARGS[@]}" > "$PWF_OUT" || { cat "$PWF_OUT" >&2; die "pyworkforce_schedule.py failed"; }
    t1=$(now)
    pwf_walls+=("$(elapsed "$t0" "$t1")")
    pwf_solves+=("$(sed -n 's/^solve_wall_s=//p' "$PWF_OUT")")
    pwf_cpsats+=("$(sed -n 's/^cpsat_wall_s=//p' "$PWF_OUT")")
    pwf_paids+=("$(sed -n 's/^paid_hours=//p' "$PWF_OUT")/$(sed -n 's/^status=//p' "$PWF_OUT")")
done
kv() { sed -n "s/^$1=//p" "$PWF_OUT"; }
pwf_wall=$(printf '%s\n' "${pwf_walls[@]}" | median)
pwf_solve=$(printf '%s\n' "${pwf_solves[@]}" | median)
pwf_cpsat=$(printf '%s\n' "${pwf_cpsats[@]}" | median)
read -r pwf_rec_under pwf_rec_over pwf_rec_paid pwf_tpl pwf_nrows \
    < <("$PY" -c "$CHECK" pwf "$REQ" "$PWF_PLAN" "$SHIFTS_TOML")

# (c) report ---------------------------------------------------------------------------------
pwf_ver=$("$PY" -c 'from importlib.metadata import version; print(version("pyworkforce"), version("ortools"))')
if [[ "$BREAKS" == 0 ]]; then
    echo
    echo "Scheduling $REQ ($(($(wc -l < "$REQ") - 1)) x 30 min, cyclic week; shifts every 30 min x 4/6/8/10/12 h; cost = paid hours)"
    kv problem
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
    echo "  wfm whole-process runs: $wfm_walls; pyworkforce whole-process runs: ${pwf_walls[*]}"
    echo "  pyworkforce solve time = MinRequiredResources(...) + .solve() (model building in Python + CP-SAT), after imports"
    exit 0
fi

# "covers every interval" for a wfm plan: the recount from shifts.csv must match coverage.csv
# and leave no interval under-covered.
wfm_covers() { # RECOUNT REC_UNDER COV_UNDER
    if [[ "$1" != ok ]]; then echo "MISMATCH"
    elif [[ "$2" == 0 && "$3" == 0 ]]; then echo yes
    else echo "no ($2)"; fi
}
pwf_covers=$([[ "$pwf_rec_under" == 0 ]] && echo yes || echo "no ($pwf_rec_under)")
row() { printf '  %-30s %14s %16s %19s\n' "$@"; }
echo
echo "Scheduling $REQ ($(($(wc -l < "$REQ") - 1)) x 30 min, cyclic week) with breaks: shifts every 30 min x 4/6/8/9/10 h;"
echo "one unpaid 30-min break 150, 210 or 270 min after the start in shifts of 6 h or more; cost = paid hours"
echo "templates: $SHIFTS_TOML (wfm --shifts, pyworkforce_schedule.py --shifts)"
kv problem
echo "medians of $RUNS runs; time limit ${TIME_LIMIT} s; pyworkforce/ortools: $pwf_ver"
row "" "wfm schedule" "wfm --mip-gap 0" "pyworkforce MinReq"
row "paid hours" "$wfm_paid" "$wfm0_paid" "$(kv paid_hours)"
row "status" "${wfm_status%% within*}" "${wfm0_status%% within*}" "$(kv status)"
row "gap to bound" "$wfm_gap" "$wfm0_gap" "$(kv gap)"
row "solve time, s (as reported)" "$wfm_solve" "$wfm0_solve" "$pwf_solve"
row "  of which CP-SAT search, s" "-" "-" "$pwf_cpsat"
row "whole process, s" "$wfm_wall" "$wfm0_wall" "$pwf_wall"
row "covers every interval" "$(wfm_covers "$wfm_recount" "$wfm_rec_under" "$wfm_under")" \
    "$(wfm_covers "$wfm0_recount" "$wfm0_rec_under" "$wfm0_under")" "$pwf_covers"
row "over-staffing, agent-hours" "$wfm_rec_over" "$wfm0_rec_over" "$pwf_rec_over"
row "plan rows (start, length, break)" "$wfm_nrows" "$wfm0_nrows" "$pwf_nrows"
row "plan rows match the templates" "$wfm_tpl" "$wfm0_tpl" "$pwf_tpl"
echo "  status: wfm's 'feasible within X % of the LP bound' is shown as 'feasible' (X is the gap row); gaps: wfm to its LP bound, pyworkforce to CP-SAT's best bound"
echo "  covers / over-staffing: recounted from each plan file (with wrap, agents on break not counted) against $REQ"
echo "  wfm: coverage.csv rows $wfm_rows, intervals with difference < 0: $wfm_under, over-staffing $wfm_over;" \
    "recount from shifts.csv vs coverage.csv: $wfm_recount; paid hours from shifts.csv: $wfm_paid_csv"
echo "  wfm --mip-gap 0: coverage.csv rows $wfm0_rows, intervals with difference < 0: $wfm0_under, over-staffing $wfm0_over;" \
    "recount from shifts.csv vs coverage.csv: $wfm0_recount; paid hours from shifts.csv: $wfm0_paid_csv"
echo "  pyworkforce: paid hours from the plan file: $pwf_rec_paid; its own check: covered=$(kv covered)," \
    "over-staffing $(kv over_agent_hours), best bound $(kv best_bound) paid hours"
echo "  paid hours of each run: wfm ${wfm_paids}; wfm --mip-gap 0 ${wfm0_paids}; pyworkforce ${pwf_paids[*]} (paid/status; the table shows the last run)"
echo "  whole-process runs: wfm ${wfm_walls}; wfm --mip-gap 0 ${wfm0_walls}; pyworkforce ${pwf_walls[*]}"
echo "  pyworkforce solve time = MinRequiredResources(...) + .solve() (model building in Python + CP-SAT), after imports"
