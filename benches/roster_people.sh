#!/usr/bin/env bash
# The 2/2 comparison in people (issue 15): for one month of forecast demand, the agents a roster
# of weekly tours needs under the default work rules (with its lower bounds, rule violations and
# preferred starts met) beside the 2/2 × 12 h roster of four crews, at ×1 and ×2 volume, and the
# run time; then, for contrast, a plan made without days off assigned to the fewest agents.
#
#   bash benches/roster_people.sh            # December 1999 of the bank, July 2016 of the 911 log
#
# The agents are generated (seeded): contracts of 20–40 h, some fixed days off, a preferred start,
# some preferred days off, preference weights of 1–3;
# one pool for the bank, one pool per category for the 911 log (agents bound to their queue).
# Service target 80 % in 20 s, AHT 180 s, 30 % shrinkage, 30-minute intervals. The forecast of
# the month is trained on the history before it (--train-until), so demand is a real forecast.
set -euo pipefail

BENCH_NAME=roster_people
DEFAULT_RUNS=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ -x "$BIN" ]] || die "no wfm binary at $BIN (cargo build --release)"
OUT="$DATA_DIR/roster_people"
mkdir -p "$OUT"

# agents FILE COUNT REGION... : COUNT agents per region (no region column when none is named).
agents() {
    "$SYS_PY" - "$@" <<'PY'
import random, sys
path, count, regions = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
random.seed(7)
starts = ["06:00", "07:00", "08:00", "09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "16:00"]
days_off = ["", "", "", "Sat Sun", "Fri Sat", "Sun Mon", ""]
with open(path, "w") as f:
    f.write("agent_id,name," + ("region," if regions else "")
            + "contract_hours_per_week,days_off,preferred_start,preferred_days_off,preference_weight\n")
    for region in regions or [""]:
        for k in range(count):
            region_cell = f"{region}," if regions else ""
            off = random.choice(days_off)
            wish = random.choice(["", "", "Sat Sun", "Sun"]) if not off else ""
            f.write(f"{region or 'a'}{k:03d},Agent {region}{k},{region_cell}"
                    f"{random.choice([40, 40, 40, 30, 20])},{off},{random.choice(starts)},"
                    f"{wish},{random.choice([1, 1, 2, 3])}\n")
PY
}

# plan NAME HISTORY MONTH TRAIN_UNTIL AGENTS FORECAST_FLAGS...
plan() {
    local name=$1 history=$2 month=$3 until=$4 pool=$5
    shift 5
    local dir="$OUT/$name"
    mkdir -p "$dir"
    say "$name: forecast $month"
    "$BIN" forecast "$history" "$@" --interval 30m --month "$month" --train-until "$until" \
        -o "$dir/forecast.csv" >/dev/null
    "$BIN" staff "$dir/forecast.csv" --aht 180 --target-sl 0.8 --target-seconds 20 \
        --shrinkage 0.3 -o "$dir/req1.csv" >/dev/null 2>&1
    say "$name: weekly tours from the requirement, beside the 2/2 roster, at x1 and x2"
    local start end
    start=$(date +%s.%N)
    "$BIN" roster "$dir/req1.csv" --agents "$pool" --volume-scale 2 --target-sl 0.8 \
        --target-seconds 20 --shrinkage 0.3 --allow-under -o "$dir/roster.csv" 2>/dev/null \
        > "$dir/roster.txt"
    sed -n '/^headcount/,$p' "$dir/roster.txt"
    end=$(date +%s.%N)
    printf 'run time of the wfm roster call above (x1 and x2, both rosters): %.2f s\n' \
        "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
    say "$name: the old way, a plan made without days off assigned to the fewest agents (x1)"
    "$BIN" schedule "$dir/req1.csv" --shrinkage 0.3 -o "$dir/shifts1.csv" >/dev/null 2>&1
    "$BIN" roster "$dir/shifts1.csv" --agents "$pool" --fewest --allow-under \
        -o "$dir/roster-plan.csv" 2>/dev/null | grep -E '^(headcount|rule violations)'
}

agents "$OUT/bank_agents.csv" 150
agents "$OUT/911_agents.csv" 80 EMS Fire Traffic
plan bank data/anonbank_1999_6min.csv 1999-12 1999-11-30 "$OUT/bank_agents.csv" \
    --holidays data/anonbank_1999_holidays.csv
plan 911 data/montco_911_events.csv 2016-07 2016-06-30 "$OUT/911_agents.csv" \
    --events --region-col category
