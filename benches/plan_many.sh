#!/usr/bin/env bash
# `wfm plan` on 100 queues × one year of 15-minute history, planned at 30 minutes without a
# roster (issue 23's target: under 60 s), then the same as 4 shards merged.
#
#   bash benches/plan_many.sh
#
# The history is benches/gen_history.py's default (100 regions × 365 days from 2025-01-01, the
# bank's weekly and yearly shape, seeded), made once into benches/data/. The month planned is
# January 2026, the month after it. Prints the wall time of each step and of the whole run.
set -euo pipefail

BENCH_NAME=plan_many
DEFAULT_RUNS=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[[ -x "$BIN" ]] || die "no wfm binary at $BIN (cargo build --release)"
HISTORY="$DATA_DIR/history_100x15m.csv"
[[ -f "$HISTORY" ]] || "$SYS_PY" benches/gen_history.py -o "$HISTORY"
OUT="$DATA_DIR/plan_many"
rm -rf "$OUT"
mkdir -p "$OUT"
cat > "$OUT/plan.toml" <<TOML
[input]
history = "$HISTORY"
interval = "30m"
aht_col = "aht_seconds"

[forecast]
month = "2026-01"
TOML

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

say "100 queues, one run"
start=$(date +%s.%N)
"$BIN" plan --config "$OUT/plan.toml" --out "$OUT/whole" > "$OUT/whole.txt" 2>/dev/null
end=$(date +%s.%N)
head -n 1 "$OUT/whole.txt"
echo "whole run: $(seconds "$start" "$end") s"

say "the same in 4 shards, one after another, then merged"
for i in 1 2 3 4; do
    start=$(date +%s.%N)
    "$BIN" plan --config "$OUT/plan.toml" --shard "$i/4" --out "$OUT/shard-$i" > /dev/null 2>&1
    end=$(date +%s.%N)
    echo "shard $i/4: $(seconds "$start" "$end") s"
done
start=$(date +%s.%N)
"$BIN" plan --merge "$OUT"/shard-{1,2,3,4} --out "$OUT/merged" > /dev/null 2>&1
end=$(date +%s.%N)
echo "merge: $(seconds "$start" "$end") s"
for f in forecast.csv requirements.csv shifts.csv coverage.csv summary.json report.html; do
    cmp -s "$OUT/whole/$f" "$OUT/merged/$f" && echo "merged $f = one run's" || echo "merged $f DIFFERS"
done
