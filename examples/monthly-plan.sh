#!/usr/bin/env bash
# The monthly job on the bundled data, end to end: inspect the history, forecast the next
# month per interval, turn it into agents, plan staggered shifts against the 2/2 roster, and
# give the shifts to named agents (data/agents_example.csv) under the default work rules.
#
#   bash examples/monthly-plan.sh            # from the repository root
#
# Everything lands in $OUT (default target/monthly-plan). Point HISTORY, HOLIDAYS and MONTH at
# your own files to run your month.
set -euo pipefail

HISTORY=${HISTORY:-data/anonbank_1999_6min.csv}
HOLIDAYS=${HOLIDAYS:-data/anonbank_1999_holidays.csv}
INTERVAL=${INTERVAL:-30m}
MONTH=${MONTH:-2000-01}
AHT=${AHT:-180}               # seconds, where the history has no aht_seconds column
SHRINKAGE=${SHRINKAGE:-0.3}
OUT=${OUT:-target/monthly-plan}
AGENTS=${AGENTS:-data/agents_example.csv}

WFM=${WFM:-}
if [ -z "$WFM" ]; then
    cargo build --release --quiet
    WFM="${CARGO_TARGET_DIR:-target}/release/wfm"
fi
mkdir -p "$OUT"

echo "== 1. history"
"$WFM" inspect "$HISTORY" --interval "$INTERVAL" --holidays "$HOLIDAYS" --brief --plot "$OUT/heatmap.png"
echo "== 2. forecast for $MONTH"
"$WFM" forecast "$HISTORY" --interval "$INTERVAL" --holidays "$HOLIDAYS" --month "$MONTH" \
    -o "$OUT/forecast.csv" --plot "$OUT/forecast.png" > "$OUT/forecast.txt"
head -n 4 "$OUT/forecast.txt"
echo "== 3. agents per interval (80 % in 20 s, shrinkage $SHRINKAGE)"
"$WFM" staff "$OUT/forecast.csv" --aht "$AHT" --target-sl 0.8 --target-seconds 20 \
    --shrinkage "$SHRINKAGE" -o "$OUT/requirements.csv"
echo "== 4. staggered shifts vs the 2/2 12-hour roster"
"$WFM" schedule "$OUT/requirements.csv" --shrinkage "$SHRINKAGE" -o "$OUT/shifts.csv" \
    --coverage "$OUT/coverage.csv" --plot "$OUT/coverage.png"
echo "== 5. named agents of $AGENTS: weekly tours planned from the requirement, beside the 2/2 crews"
"$WFM" roster "$OUT/requirements.csv" --agents "$AGENTS" --shrinkage "$SHRINKAGE" --wide \
    -o "$OUT/roster.csv" --coverage "$OUT/roster-coverage.csv" --plot "$OUT/roster.png" \
    | sed -n '/^headcount/,$p'
echo "== files in $OUT:"
ls "$OUT"
