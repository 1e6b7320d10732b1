#!/usr/bin/env bash
# Month-ahead backtest of the Montgomery County 911 log (data/montco_911_events.csv): origins
# May, June and July 2016, hourly and 30-minute, by dispatch queue (category, 3 regions) and by
# township (68 townships and the rows with a blank one), and hourly by township within category
# (--group-col category, 206 series), for auto, savg:4, the 8-week slot average (savg:8),
# seasonal naive and the top-down share forecast; then the time of one `wfm forecast` by
# township, hourly, auto.
#
#   bash benches/montco_backtest.sh
#
# Environment: WFM_BIN (default $CARGO_TARGET_DIR/release/wfm, else target/release/wfm; run
# `cargo build --release` first). Output: a Markdown table on stdout; the JSON files and the
# timing in benches/data/montco/.
set -euo pipefail

BENCH_NAME=montco_backtest
DEFAULT_RUNS=3
# shellcheck source=benches/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DATA="data/montco_911_events.csv"
OUT="$DATA_DIR/montco"
mkdir -p "$OUT"
[[ -x "$BIN" ]] || die "no wfm binary at $BIN (cargo build --release)"
MODELS="auto,savg:4,savg:8,snaive,topdown"

labels=()
for by in category township; do
    for interval in 1h 30m; do
        json="$OUT/backtest_${by}_${interval}.json"
        say "backtest by $by at $interval"
        "$BIN" backtest "$DATA" --events --region-col "$by" --interval "$interval" \
            --horizon month --origins 3 --models "$MODELS" --json "$json" >/dev/null
        labels+=("$by $interval=$json")
    done
done
json="$OUT/backtest_township_by_category_1h.json"
say "backtest by township within category (--group-col category) at 1h"
"$BIN" backtest "$DATA" --events --region-col township --group-col category --interval 1h \
    --horizon month --origins 3 --models "$MODELS" --json "$json" >/dev/null
labels+=("category/township 1h=$json")
python3 benches/backtest_summary.py "${labels[@]}" --models="$MODELS"

say "forecast by township, hourly, auto, 28 days"
start=$(date +%s.%N)
"$BIN" forecast "$DATA" --events --region-col township --interval 1h --horizon 28d \
    -o "$OUT/forecast_township_1h.csv" >/dev/null 2>"$OUT/forecast_township_1h.log"
end=$(date +%s.%N)
printf 'wfm forecast, 69 regions (68 townships and the blank one), hourly, auto, 28 days: %.2f s\n' "$(echo "$end - $start" | bc)"
