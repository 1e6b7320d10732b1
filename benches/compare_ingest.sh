#!/usr/bin/env bash
# Ingest-speed comparison: `wfm inspect` (release build) vs a pandas script doing the same
# per-region summary, on a synthetic 100-region x 1-year x 15-minute history (3,504,000 rows).
#
#   bash benches/compare_ingest.sh
#
# Environment:
#   WFM_BIN           wfm binary to time (default $CARGO_TARGET_DIR/release/wfm if
#                     CARGO_TARGET_DIR is set, else target/release/wfm). Not built here:
#                     run `cargo build --release` first.
#   WFM_BENCH_VENV    Python venv holding pandas (default benches/data/.venv; created and
#                     `pip install pandas` run in it when pandas is missing).
#   WFM_BENCH_PYTHON  Python used to create the venv and run the generator (default python3).
#   WFM_BENCH_RUNS    timed runs per command (default 5); one warm-up run always precedes them.
#   WFM_BENCH_NO_HYPERFINE=1  use the plain bash timing loop even if hyperfine is installed.
#
# Output: a table of median wall seconds on stdout and benches/data/ingest_timing.md
# (hyperfine's markdown export, or an equivalent table from the fallback loop).
# Needs no root; everything it writes is under benches/data/ (git-ignored).
set -euo pipefail

BENCH_NAME=compare_ingest
DEFAULT_RUNS=5
# shellcheck source=benches/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DATA="$DATA_DIR/history_100x15m.csv"
REPORT="$DATA_DIR/ingest_timing.md"


# (a) Python venv with pandas -------------------------------------------------------------
venv_with pandas

# (b) data ----------------------------------------------------------------------------------
if [[ ! -s "$DATA" ]]; then
    say "generating $DATA (100 regions x 365 days x 96 intervals)"
    tmp="$DATA.tmp.$$"
    trap 'rm -f "$tmp"' EXIT
    "$SYS_PY" benches/gen_history.py -o "$tmp"
    mv "$tmp" "$DATA"
    trap - EXIT
fi

# (c) wfm binary ----------------------------------------------------------------------------
[[ -x "$BIN" ]] || die "no wfm binary at $BIN: run 'cargo build --release' (or set WFM_BIN)"

rows=$(($(wc -l < "$DATA") - 1))
size=$(du -h "$DATA" | cut -f1)
pandas_ver=$("$PY" -c 'import pandas; print(pandas.__version__)')
wfm_ver=$("$BIN" --version 2>/dev/null || echo "wfm (version unknown)")
say "data:   $DATA ($rows rows, $size)"
say "wfm:    $BIN ($wfm_ver)"
say "pandas: $PY benches/pandas_ingest.py (pandas $pandas_ver)"

# Check both commands succeed before timing anything (this is also a cache warm-up).
say "checking: wfm inspect"
"$BIN" inspect "$DATA" > /dev/null || die "'$BIN inspect $DATA' failed"
say "checking: pandas_ingest.py (its own read+groupby timing, without interpreter start-up and import):"
"$PY" benches/pandas_ingest.py "$DATA" 2>&1 > /dev/null | grep '^pandas_ingest:' >&2 \
    || die "'$PY benches/pandas_ingest.py $DATA' failed"

# (d) timing --------------------------------------------------------------------------------
q_bin=$(printf '%q' "$BIN")
q_py=$(printf '%q' "$PY")
q_data=$(printf '%q' "$DATA")
WFM_CMD="$q_bin inspect $q_data > /dev/null"
PANDAS_CMD="$q_py benches/pandas_ingest.py $q_data > /dev/null"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
stats() { sort -g | awk '{ v[NR] = $1; s += $1 } END { printf "%.3f %.3f %.3f\n", s / NR, v[1], v[NR] }'; }

if command -v hyperfine > /dev/null && [[ "${WFM_BENCH_NO_HYPERFINE:-0}" != 1 ]]; then
    say "timing with hyperfine (--warmup 1 --runs $RUNS)"
    JSON="$DATA_DIR/ingest_timing.json"
    hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$REPORT" --export-json "$JSON" \
        -n "wfm inspect (Rust, release)" "$WFM_CMD" \
        -n "pandas read_csv + groupby (Python)" "$PANDAS_CMD"
    # per-run wall times, one line per command, from hyperfine's JSON export
    mapfile -t run_lines < <("$PY" -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(" ".join(f"{t:.3f}" for t in r["times"]))' "$JSON")
    wfm_times=$(tr ' ' '\n' <<< "${run_lines[0]}")
    pandas_times=$(tr ' ' '\n' <<< "${run_lines[1]}")
    how="hyperfine, 1 warm-up + $RUNS runs each"
else
    say "no hyperfine (or WFM_BENCH_NO_HYPERFINE=1): timing with a bash loop (1 warm-up + $RUNS runs each, wall seconds)"

    # time_runs CMD -> the wall seconds of RUNS runs (one per line), after one warm-up run
    time_runs() {
        local cmd="$1" i t
        local TIMEFORMAT=%R
        bash -c "$cmd" > /dev/null 2>&1 || return 1
        for ((i = 0; i < RUNS; i++)); do
            # `time` reports on the group's stderr; the command's own output is discarded inside
            t=$({ time bash -c "$cmd" > /dev/null 2>&1; } 2>&1) || return 1
            echo "$t"
        done
    }

    wfm_times=$(time_runs "$WFM_CMD") || die "wfm inspect failed while timing"
    pandas_times=$(time_runs "$PANDAS_CMD") || die "pandas_ingest.py failed while timing"
    how="bash time loop, 1 warm-up + $RUNS runs each"
fi

wfm_med=$(median <<< "$wfm_times")
pandas_med=$(median <<< "$pandas_times")
read -r wfm_mean wfm_min wfm_max <<< "$(stats <<< "$wfm_times")"
read -r pandas_mean pandas_min pandas_max <<< "$(stats <<< "$pandas_times")"
ratio=$(awk -v a="$pandas_med" -v b="$wfm_med" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }')

if [[ "$how" == bash* ]]; then
    {
        echo "| Command | Median [s] | Mean [s] | Min [s] | Max [s] | Runs |"
        echo "|:---|---:|---:|---:|---:|---:|"
        echo "| \`wfm inspect\` (Rust, release) | $wfm_med | $wfm_mean | $wfm_min | $wfm_max | $RUNS |"
        echo "| \`pandas_ingest.py\` (pandas $pandas_ver) | $pandas_med | $pandas_mean | $pandas_min | $pandas_max | $RUNS |"
    } > "$REPORT"
fi

echo
echo "Ingest of $DATA ($rows rows): median wall seconds, whole process ($how)"
printf '  %-36s %8s s   (runs: %s)\n' "wfm inspect (Rust, release)" "$wfm_med" "$(echo $wfm_times)"
printf '  %-36s %8s s   (runs: %s)\n' "pandas read_csv + groupby (Python)" "$pandas_med" "$(echo $pandas_times)"
echo "  pandas / wfm: ${ratio}x"
echo "Markdown table: $REPORT"
