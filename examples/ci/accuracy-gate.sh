#!/usr/bin/env bash
# Accuracy gate: forecast a held-out month from the history before it and fail (exit 1) when
# the forecast is less accurate than the thresholds. Runs on the bundled data as it is; point
# HISTORY, HOLDOUT and the dates at your own files to use it on yours.
#
#   bash examples/ci/accuracy-gate.sh          # from the repository root
#
# Exit codes: 0 gate passed, 1 gate failed, 2 bad input.
set -euo pipefail

HISTORY=${HISTORY:-data/anonbank_1999_hourly.csv}
HOLIDAYS=${HOLIDAYS:-data/anonbank_1999_holidays.csv}
HOLDOUT=${HOLDOUT:-data/anonbank_1999_12_hourly_holdout.csv}
TRAIN_UNTIL=${TRAIN_UNTIL:-1999-12-01}
MONTH=${MONTH:-1999-12}
MIN_ACCURACY=${MIN_ACCURACY:-0.85}   # 1 − daily WAPE, every region and all regions together
MAX_METRIC=${MAX_METRIC:-bias=0.15}  # |bias| at the same level
OUT=${OUT:-target/accuracy-gate}

WFM=${WFM:-}
if [ -z "$WFM" ]; then
    cargo build --release --quiet
    WFM="${CARGO_TARGET_DIR:-target}/release/wfm"
fi
mkdir -p "$OUT"

"$WFM" forecast "$HISTORY" --holidays "$HOLIDAYS" --train-until "$TRAIN_UNTIL" --month "$MONTH" \
    -o "$OUT/forecast.csv" > "$OUT/forecast.txt"
"$WFM" accuracy --forecast "$OUT/forecast.csv" --actuals "$HOLDOUT" --level daily \
    --min-accuracy "$MIN_ACCURACY" --max-metric "$MAX_METRIC" --json "$OUT/accuracy.json"
