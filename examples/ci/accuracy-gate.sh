#!/usr/bin/env bash
# Accuracy gate: forecast a held-out month from the history before it and fail (exit 1) when
# the forecast is less accurate than the thresholds. Runs on the bundled data as it is; point
# HISTORY, HOLDOUT and the dates at your own files to use it on yours.
#
#   bash examples/ci/accuracy-gate.sh          # the bank's call centre (interval counts)
#   bash examples/ci/accuracy-gate.sh 911      # the county's 911 log (an event log, 3 queues)
#
# Exit codes: 0 gate passed, 1 gate failed, 2 bad input.
set -euo pipefail

if [ "${1:-}" = 911 ]; then
    # One row per call: --events counts calls per interval. Every queue spans the forecast's
    # month, so an hour without calls is a zero to score, never a missing actual.
    HISTORY=${HISTORY:-data/montco_911_events.csv}
    HOLIDAYS=${HOLIDAYS-}
    HOLDOUT=${HOLDOUT-}
    TRAIN_UNTIL=${TRAIN_UNTIL:-2016-07-01}
    MONTH=${MONTH:-2016-07}
    INPUT_FLAGS=${INPUT_FLAGS:---events --region-col category --interval 1h}
    # The backtest of the months before July puts Traffic's daily WAPE at 15 % (about 140 calls
    # a day): a gate at 0.85 would sit on its usual accuracy, 0.80 catches a drop.
    MIN_ACCURACY=${MIN_ACCURACY:-0.80}
    MAX_METRIC=${MAX_METRIC:-bias=0.15}
    OUT=${OUT:-target/accuracy-gate-911}
fi
HISTORY=${HISTORY:-data/anonbank_1999_hourly.csv}
HOLIDAYS=${HOLIDAYS-data/anonbank_1999_holidays.csv}
# Actuals of the month; empty: the month is cut out of HISTORY (rows whose timestamp starts
# with MONTH), which is how an event log's holdout is usually made.
HOLDOUT=${HOLDOUT-data/anonbank_1999_12_hourly_holdout.csv}
TRAIN_UNTIL=${TRAIN_UNTIL:-1999-12-01}
MONTH=${MONTH:-1999-12}
INPUT_FLAGS=${INPUT_FLAGS:-}          # how to read HISTORY and HOLDOUT (e.g. --events)
MIN_ACCURACY=${MIN_ACCURACY:-0.85}   # 1 − daily WAPE, every region and all regions together
MAX_METRIC=${MAX_METRIC:-bias=0.15}  # |bias| at the same level
OUT=${OUT:-target/accuracy-gate}

WFM=${WFM:-}
if [ -z "$WFM" ]; then
    cargo build --release --quiet
    WFM="${CARGO_TARGET_DIR:-target}/release/wfm"
fi
mkdir -p "$OUT"

read -r -a input <<< "$INPUT_FLAGS"
holidays=()
if [ -n "$HOLIDAYS" ]; then
    holidays=(--holidays "$HOLIDAYS")
fi
if [ -z "$HOLDOUT" ]; then
    HOLDOUT="$OUT/holdout.csv"
    awk -v month="$MONTH" 'NR == 1 || index($0, month) == 1' "$HISTORY" > "$HOLDOUT"
fi

"$WFM" forecast "$HISTORY" "${input[@]}" "${holidays[@]}" --train-until "$TRAIN_UNTIL" \
    --month "$MONTH" -o "$OUT/forecast.csv" > "$OUT/forecast.txt"
"$WFM" accuracy --forecast "$OUT/forecast.csv" --actuals "$HOLDOUT" "${input[@]}" --level daily \
    --min-accuracy "$MIN_ACCURACY" --max-metric "$MAX_METRIC" --json "$OUT/accuracy.json"
