#!/usr/bin/env bash
# Rosters for teams like real ones (issues 15 and 22): for one month of forecast demand, a team
# of mixed contracts sized to the requirement is rostered with weekly tours under the default
# work rules and its dated time off, at ×1 and ×2 volume beside the 2/2 × 12 h crews; then the
# 911 month scaled until each of its three queues needs about 250 agents, timed alone.
#
#   bash benches/roster_people.sh            # December 1999 of the bank, July 2016 of the 911 log
#
# Teams come from benches/make_team.py (seeded): per queue, agents of 40 h (3 in 5), 30 h and
# 20 h until their contracted hours are a slack × the weekly agent-hours the requirement asks for
# (1.35 for the bank, 1.15 for the 911 queues: about what the tours need, see below);
# some fixed days off, a preferred start, some preferred days off, weights 1–3; about 8 % ask
# for one to three dated days (or mornings) off. The 911 agents are bound to their queue.
# Service target 80 % in 20 s, AHT 180 s, 30 % shrinkage, 30-minute intervals. The forecast of
# the month is trained on the history before it (--train-until), so demand is a real forecast.
#
# Each run prints the roster's headline: headcount against both lower bounds, contracted hours
# used per contract, hires, time off met, preferences, the nights and weekend-day spread, and
# the comparison with the 2/2 crews.
set -euo pipefail

BENCH_NAME=roster_people
DEFAULT_RUNS=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ -x "$BIN" ]] || die "no wfm binary at $BIN (cargo build --release)"
OUT="$DATA_DIR/roster_people"
mkdir -p "$OUT"

TARGETS=(--target-sl 0.8 --target-seconds 20 --shrinkage 0.3)
# Contracted hours per requirement hour, per data set: weekly tours cover a requirement with some
# hours over it, so a team that fits is larger (the bank's December tour bound is 1.27 × its
# agent-hours; the 911 queues' flat nights are covered more tightly, 1.06 ×).

# timed OUT_TXT COMMAND...: runs COMMAND with its stdout in OUT_TXT (stderr dropped), then
# prints the headline of what it printed and its wall time.
timed() {
    local txt=$1 start end
    shift
    start=$(date +%s.%N)
    "$@" 2>/dev/null > "$txt"
    end=$(date +%s.%N)
    sed -n '/^headcount/,$p' "$txt"
    awk -v a="$start" -v b="$end" 'BEGIN { printf "run time: %.2f s\n", b - a }'
}

# forecast NAME HISTORY MONTH TRAIN_UNTIL FORECAST_FLAGS...: the month's forecast and its
# requirement in $OUT/NAME.
forecast() {
    local name=$1 history=$2 month=$3 until=$4
    shift 4
    local dir="$OUT/$name"
    mkdir -p "$dir"
    say "$name: forecast $month"
    "$BIN" forecast "$history" "$@" --interval 30m --month "$month" --train-until "$until" \
        -o "$dir/forecast.csv" >/dev/null
    "$BIN" staff "$dir/forecast.csv" --aht 180 "${TARGETS[@]}" -o "$dir/req1.csv" >/dev/null 2>&1
}

# roster NAME SLACK: a team for $OUT/NAME's requirement (contracts SLACK × its agent-hours),
# rostered.
roster() {
    local name=$1 slack=$2
    local dir="$OUT/$name"
    "$SYS_PY" benches/make_team.py "$dir/req1.csv" "$dir/agents.csv" "$dir/time_off.csv" "$slack"
    say "$name: $(($(wc -l < "$dir/agents.csv") - 1)) agents, weekly tours beside the 2/2 crews at x1 and x2"
    timed "$dir/roster.txt" "$BIN" roster "$dir/req1.csv" --agents "$dir/agents.csv" \
        --time-off "$dir/time_off.csv" --volume-scale 2 "${TARGETS[@]}" --allow-under \
        -o "$dir/roster.csv" --plot "$dir/roster.png"
}

forecast bank data/anonbank_1999_6min.csv 1999-12 1999-11-30 \
    --holidays data/anonbank_1999_holidays.csv
roster bank 1.35
forecast 911 data/montco_911_events.csv 2016-07 2016-06-30 --events --region-col category
roster 911 1.15

# The 911 month with each queue's forecast scaled until it needs about 250 agents' contracts
# (EMS × 59, Fire × 194, Traffic × 81), and 250 agents per queue: 750 agents, timed alone.
# Their contracts (about 8,500 h a week per queue) are about 1.3 × the agent-hours asked for.
big="$OUT/911x250"
mkdir -p "$big"
"$SYS_PY" - "$OUT/911/forecast.csv" "$big/forecast.csv" <<'PY'
import csv, sys
scale = {"EMS": 59, "Fire": 194, "Traffic": 81}
with open(sys.argv[1], newline="") as f, open(sys.argv[2], "w") as out:
    out.write("timestamp,region,forecast,lower,upper\n")
    for row in csv.DictReader(f):
        k = scale[row["region"]]
        out.write(f"{row['timestamp']},{row['region']},"
                  + ",".join(f"{float(row[c]) * k:.3f}" for c in ("forecast", "lower", "upper"))
                  + "\n")
PY
"$BIN" staff "$big/forecast.csv" --aht 180 "${TARGETS[@]}" -o "$big/req1.csv" >/dev/null 2>&1
"$SYS_PY" benches/make_team.py "$big/req1.csv" "$big/agents.csv" "$big/time_off.csv" 1 250
say "911x250: 3 queues × 250 agents, one month, weekly tours (×1 only)"
timed "$big/roster.txt" "$BIN" roster "$big/req1.csv" --agents "$big/agents.csv" \
    --time-off "$big/time_off.csv" "${TARGETS[@]}" --allow-under -o "$big/roster.csv"
