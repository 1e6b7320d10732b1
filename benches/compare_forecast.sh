#!/usr/bin/env bash
# Forecast-speed comparison: `wfm forecast --model auto` (release build) vs Nixtla statsforecast's
# MSTL (benches/statsforecast_mstl.py, n_jobs=2), on
#   a) data/anonbank_1999_hourly.csv      1 region x 1 year x 24 hourly intervals (8,760 rows)
#   b) benches/data/history_100x30m.csv   100 regions x 365 days x 48 half-hours (1,752,000 rows)
# both forecasting 28 days ahead with an 80 % band.
#
#   bash benches/compare_forecast.sh
#
# Environment:
#   WFM_BIN           wfm binary to time (default $CARGO_TARGET_DIR/release/wfm if
#                     CARGO_TARGET_DIR is set, else target/release/wfm). Not built here:
#                     run `cargo build --release` first.
#   WFM_BENCH_VENV    Python venv holding statsforecast (default benches/data/.venv; created,
#                     and `pip install statsforecast` run in it, when statsforecast is missing).
#   WFM_BENCH_PYTHON  Python used to create the venv and run the generator (default python3).
#   WFM_BENCH_RUNS    timed runs per command (default 3); one warm-up run always precedes them.
#   WFM_BENCH_NO_HYPERFINE=1  use the plain bash timing loop even if hyperfine is installed.
#   WFM_BENCH_CASES   which cases to run (default "a b").
#
# "cold" is the first run of each command in this invocation (no warm-up before it; the OS
# file cache is not dropped). "warm" is the median of the timed runs after one warm-up.
# Wall times are for the whole process (start-up, CSV reading, writing); the statsforecast
# script also logs its own fit+predict time, without interpreter start-up, imports and CSV
# reading, and both the cold and the warm median of that are shown.
#
# Case b) takes a while: statsforecast needs about 8-11 s of one core per year-long 30-minute
# series, so each of its runs takes 6-9 minutes on 2 cores. It runs 5 times (cold, warm-up,
# 3 timed), which is about 40 minutes in all.
#
# Output: tables of wall seconds on stdout and benches/data/forecast_timing.md.
# Needs no root; everything it writes is under benches/data/ (git-ignored) and /tmp/wfm_f*.csv.
set -euo pipefail

BENCH_NAME=compare_forecast
DEFAULT_RUNS=3
# shellcheck source=benches/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DATA_A="data/anonbank_1999_hourly.csv"
DATA_B="$DATA_DIR/history_100x30m.csv"
REPORT="$DATA_DIR/forecast_timing.md"
CASES="${WFM_BENCH_CASES:-a b}"


# (a) Python venv with statsforecast ---------------------------------------------------------
venv_with statsforecast

# (b) data ----------------------------------------------------------------------------------
[[ -s "$DATA_A" ]] || die "missing $DATA_A"
if [[ " $CASES " == *" b "* && ! -s "$DATA_B" ]]; then
    say "generating $DATA_B (100 regions x 365 days x 48 intervals)"
    tmp="$DATA_B.tmp.$$"
    trap 'rm -f "$tmp"' EXIT
    "$SYS_PY" benches/gen_history.py --regions 100 --days 365 --interval-minutes 30 -o "$tmp"
    mv "$tmp" "$DATA_B"
    trap - EXIT
fi

# (c) wfm binary ----------------------------------------------------------------------------
[[ -x "$BIN" ]] || die "no wfm binary at $BIN: run 'cargo build --release' (or set WFM_BIN)"

sf_ver=$("$PY" -c 'import statsforecast; print(statsforecast.__version__)')
wfm_ver=$("$BIN" --version 2>/dev/null || echo "wfm (version unknown)")
say "wfm:           $BIN ($wfm_ver)"
say "statsforecast: $PY benches/statsforecast_mstl.py (statsforecast $sf_ver, n_jobs=2)"
say "cores: $(nproc), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }'; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

USE_HYPERFINE=0
if command -v hyperfine > /dev/null && [[ "${WFM_BENCH_NO_HYPERFINE:-0}" != 1 ]]; then USE_HYPERFINE=1; fi

{
    echo "# Forecast timing: wfm vs statsforecast MSTL"
    echo
    echo "wfm: \`$wfm_ver\`; statsforecast $sf_ver (MSTL, n_jobs=2); $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)."
    echo "Wall seconds for the whole process. cold = first run; warm = median of $RUNS runs after 1 warm-up."
    echo "fit+predict = statsforecast's own timing of the StatsForecast.forecast call."
    echo
    echo "| case | wfm cold | wfm warm | statsforecast cold | statsforecast warm | sf fit+predict cold | sf fit+predict warm | sf/wfm (warm) |"
    echo "|:---|---:|---:|---:|---:|---:|---:|---:|"
} > "$REPORT"

SUMMARY=()

# run_case LABEL DATA WFM_OUT
run_case() {
    local label="$1" data="$2" out="$3"
    local tlog="$DATA_DIR/.sf_timing_$label.log"
    local q_bin q_py q_data q_out q_tlog
    q_bin=$(printf '%q' "$BIN"); q_py=$(printf '%q' "$PY"); q_data=$(printf '%q' "$data")
    q_out=$(printf '%q' "$out"); q_tlog=$(printf '%q' "$tlog")
    local wfm_cmd="$q_bin forecast $q_data --horizon 28d --model auto -o $q_out > /dev/null"
    local sf_cmd="$q_py benches/statsforecast_mstl.py $q_data --mode forecast --horizon-days 28 --timing-log $q_tlog"
    local rows=$(($(wc -l < "$data") - 1))

    echo >&2
    say "case $label: $data ($rows rows), 28-day forecast"
    rm -f "$tlog"

    # cold: the first run of each command, also a check that both succeed
    local t0 t1 wfm_cold sf_cold sf_fp_cold
    say "cold run: wfm forecast"
    t0=$(now); bash -c "$wfm_cmd" || die "'$wfm_cmd' failed"; t1=$(now)
    wfm_cold=$(elapsed "$t0" "$t1")
    say "  wall $wfm_cold s"
    say "cold run: statsforecast_mstl.py"
    t0=$(now); bash -c "$sf_cmd" 2>&1 | sed 's/^/    /' >&2 || die "'$sf_cmd' failed"; t1=$(now)
    sf_cold=$(elapsed "$t0" "$t1")
    [[ -s "$tlog" ]] || die "'$sf_cmd' wrote no timing"
    sf_fp_cold=$(head -n1 "$tlog")
    say "  wall $sf_cold s"
    rm -f "$tlog"

    local wfm_times sf_times how
    if ((USE_HYPERFINE)); then
        local json="$DATA_DIR/forecast_timing_$label.json"
        say "timing with hyperfine (--warmup 1 --runs $RUNS)"
        hyperfine --warmup 1 --runs "$RUNS" --export-json "$json" \
            -n "wfm forecast --model auto ($label)" "$wfm_cmd" \
            -n "statsforecast MSTL ($label)" "$sf_cmd" >&2
        mapfile -t run_lines < <("$PY" -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(" ".join(f"{t:.3f}" for t in r["times"]))' "$json")
        wfm_times=$(tr ' ' '\n' <<< "${run_lines[0]}")
        sf_times=$(tr ' ' '\n' <<< "${run_lines[1]}")
        how="hyperfine, 1 warm-up + $RUNS runs"
    else
        say "timing with a bash loop (1 warm-up + $RUNS runs each, wall seconds)"
        time_runs() {
            local cmd="$1" i t
            local TIMEFORMAT=%R
            bash -c "$cmd" > /dev/null 2>&1 || return 1
            for ((i = 0; i < RUNS; i++)); do
                t=$({ time bash -c "$cmd" > /dev/null 2>&1; } 2>&1) || return 1
                echo "$t"
            done
        }
        wfm_times=$(time_runs "$wfm_cmd") || die "wfm forecast failed while timing"
        sf_times=$(time_runs "$sf_cmd") || die "statsforecast_mstl.py failed while timing"
        how="bash time loop, 1 warm-up + $RUNS runs"
    fi
    # the timing log holds the warm-up run first, then the timed runs
    local sf_fp_times
    sf_fp_times=$(tail -n "$RUNS" "$tlog")
    rm -f "$tlog"

    local wfm_med sf_med sf_fp_med
    wfm_med=$(median <<< "$wfm_times")
    sf_med=$(median <<< "$sf_times")
    sf_fp_med=$(median <<< "$sf_fp_times")
    echo "| $label) $data | $wfm_cold | $wfm_med | $sf_cold | $sf_med | $sf_fp_cold | $sf_fp_med | $(ratio "$sf_med" "$wfm_med")x |" >> "$REPORT"

    SUMMARY+=("")
    SUMMARY+=("Case $label) $data ($rows rows), 28-day forecast; wall seconds, whole process ($how)")
    SUMMARY+=("$(printf '  %-44s cold %9s s   warm median %9s s   (runs: %s)' "wfm forecast --model auto (Rust, release)" "$wfm_cold" "$wfm_med" "$(echo $wfm_times)")")
    SUMMARY+=("$(printf '  %-44s cold %9s s   warm median %9s s   (runs: %s)' "statsforecast MSTL, whole process" "$sf_cold" "$sf_med" "$(echo $sf_times)")")
    SUMMARY+=("$(printf '  %-44s cold %9s s   warm median %9s s   (runs: %s)' "statsforecast MSTL, fit+predict only" "$sf_fp_cold" "$sf_fp_med" "$(echo $sf_fp_times)")")
    SUMMARY+=("  statsforecast / wfm (warm medians, whole process): $(ratio "$sf_med" "$wfm_med")x")
}

for c in $CASES; do
    case "$c" in
        a) run_case a "$DATA_A" /tmp/wfm_f1.csv ;;
        b) run_case b "$DATA_B" /tmp/wfm_f100.csv ;;
        *) die "unknown case '$c' in WFM_BENCH_CASES (a, b)" ;;
    esac
done

printf '%s\n' "${SUMMARY[@]}"
echo
echo "Markdown table: $REPORT"
