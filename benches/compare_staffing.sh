#!/usr/bin/env bash
# Staffing comparison: `wfm staff` (release build) vs pyworkforce's ErlangC on the same
# 10,000-interval, 30-minute, one-region forecast (benches/data/staffing_10k.csv).
#
#   bash benches/compare_staffing.sh
#
# It times both whole processes in the same run, then checks that they answer the same:
# wfm's agents_raw (Erlang C, no shrinkage) against pyworkforce's raw_positions, for every
# interval with contacts, with an 80 % in 20 s target and AHT from the forecast's aht_seconds.
#
# Environment:
#   WFM_BIN           wfm binary to time (default $CARGO_TARGET_DIR/release/wfm if
#                     CARGO_TARGET_DIR is set, else target/release/wfm). Not built here:
#                     run `cargo build --release` first.
#   WFM_BENCH_VENV    Python venv holding pyworkforce (default benches/data/.venv; created and
#                     `pip install pyworkforce` run in it when pyworkforce is missing).
#   WFM_BENCH_PYTHON  Python used to create the venv and run the generator (default python3).
#   WFM_BENCH_RUNS    timed runs per command (default 5); one warm-up run always precedes them.
#   WFM_BENCH_NO_HYPERFINE=1  use the plain bash timing loop even if hyperfine is installed.
#
# Output: medians and the agreement count on stdout, benches/data/staffing_timing.md (timing
# table) and benches/data/staffing_diff.csv (every interval where the two differ, if any).
# Exit status 0 even when the answers differ: the differences are the result being reported.
# Needs no root; everything it writes is under benches/data/ (git-ignored) and /tmp.
set -euo pipefail

BENCH_NAME=compare_staffing
DEFAULT_RUNS=5
# shellcheck source=benches/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DATA="$DATA_DIR/staffing_10k.csv"
WFM_OUT="/tmp/wfm_req.csv"
PWF_OUT="/tmp/pyworkforce_req.csv"
REPORT="$DATA_DIR/staffing_timing.md"
DIFF="$DATA_DIR/staffing_diff.csv"
LOOP_LOG="$DATA_DIR/.pyworkforce_loop.log"


# (a) Python venv with pyworkforce ----------------------------------------------------------
venv_with pyworkforce

# (b) data (cheap and deterministic: regenerated when missing or older than the generator) ---
if [[ ! -s "$DATA" || benches/make_staffing_forecast.py -nt "$DATA" ]]; then
    say "generating $DATA (10,000 x 30-minute intervals, one region)"
    tmp="$DATA.tmp.$$"
    trap 'rm -f "$tmp"' EXIT
    "$SYS_PY" benches/make_staffing_forecast.py --intervals 10000 -o "$tmp"
    mv "$tmp" "$DATA"
    trap - EXIT
fi

# (c) wfm binary ----------------------------------------------------------------------------
[[ -x "$BIN" ]] || die "no wfm binary at $BIN: run 'cargo build --release' (or set WFM_BIN)"

rows=$(($(wc -l < "$DATA") - 1))
pwf_ver=$("$PY" -c 'from importlib.metadata import version; print(version("pyworkforce"))')
py_ver=$("$PY" -c 'import platform; print(platform.python_version())')
wfm_ver=$("$BIN" --version 2>/dev/null || echo "wfm (version unknown)")
say "data:        $DATA ($rows intervals)"
say "wfm:         $BIN ($wfm_ver)"
say "pyworkforce: $PY benches/pyworkforce_erlang.py (pyworkforce $pwf_ver, Python $py_ver)"

# Both commands once before timing: checks they work, and gives the outputs compared below.
say "checking: wfm staff"
"$BIN" staff "$DATA" -o "$WFM_OUT" > /dev/null || die "'$BIN staff $DATA' failed"
say "checking: pyworkforce_erlang.py (its own ErlangC loop time, without start-up, imports and CSV reading):"
"$PY" benches/pyworkforce_erlang.py "$DATA" -o "$PWF_OUT" 2>&1 >/dev/null | grep '^pyworkforce_erlang:' >&2 \
    || die "'$PY benches/pyworkforce_erlang.py $DATA' failed"

# (d) timing --------------------------------------------------------------------------------
q_bin=$(printf '%q' "$BIN")
q_py=$(printf '%q' "$PY")
q_data=$(printf '%q' "$DATA")
q_log=$(printf '%q' "$LOOP_LOG")
WFM_CMD="$q_bin staff $q_data -o $WFM_OUT > /dev/null"
PWF_CMD="$q_py benches/pyworkforce_erlang.py $q_data -o $PWF_OUT --timing-log $q_log 2> /dev/null"
: > "$LOOP_LOG"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
stats() { sort -g | awk '{ v[NR] = $1; s += $1 } END { printf "%.3f %.3f %.3f\n", s / NR, v[1], v[NR] }'; }

if command -v hyperfine > /dev/null && [[ "${WFM_BENCH_NO_HYPERFINE:-0}" != 1 ]]; then
    say "timing with hyperfine (--warmup 1 --runs $RUNS)"
    JSON="$DATA_DIR/staffing_timing.json"
    hyperfine --warmup 1 --runs "$RUNS" --export-markdown "$REPORT" --export-json "$JSON" \
        -n "wfm staff (Rust, release)" "$WFM_CMD" \
        -n "pyworkforce ErlangC (Python)" "$PWF_CMD"
    mapfile -t run_lines < <("$PY" -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(" ".join(f"{t:.4f}" for t in r["times"]))' "$JSON")
    wfm_times=$(tr ' ' '\n' <<< "${run_lines[0]}")
    pwf_times=$(tr ' ' '\n' <<< "${run_lines[1]}")
    how="hyperfine, 1 warm-up + $RUNS runs each"
else
    say "no hyperfine (or WFM_BENCH_NO_HYPERFINE=1): timing with a bash loop (1 warm-up + $RUNS runs each, wall seconds)"
    time_runs() {
        local cmd="$1" i t
        local TIMEFORMAT=%R
        bash -c "$cmd" > /dev/null 2>&1 || return 1
        for ((i = 0; i < RUNS; i++)); do
            t=$({ time bash -c "$cmd" > /dev/null 2>&1; } 2>&1) || return 1
            echo "$t"
        done
    }
    wfm_times=$(time_runs "$WFM_CMD") || die "wfm staff failed while timing"
    pwf_times=$(time_runs "$PWF_CMD") || die "pyworkforce_erlang.py failed while timing"
    how="bash time loop, 1 warm-up + $RUNS runs each"
fi

# the warm-up run also logged its loop time: keep the last RUNS lines
loop_med=$(tail -n "$RUNS" "$LOOP_LOG" | median | awk '{ printf "%.4f", $1 }')
wfm_med=$(median <<< "$wfm_times")
pwf_med=$(median <<< "$pwf_times")
read -r wfm_mean wfm_min wfm_max <<< "$(stats <<< "$wfm_times")"
read -r pwf_mean pwf_min pwf_max <<< "$(stats <<< "$pwf_times")"
ratio=$(awk -v a="$pwf_med" -v b="$wfm_med" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "inf" }')

if [[ "$how" == bash* ]]; then
    {
        echo "| Command | Median [s] | Mean [s] | Min [s] | Max [s] | Runs |"
        echo "|:---|---:|---:|---:|---:|---:|"
        echo "| \`wfm staff\` (Rust, release) | $wfm_med | $wfm_mean | $wfm_min | $wfm_max | $RUNS |"
        echo "| \`pyworkforce_erlang.py\` (pyworkforce $pwf_ver) | $pwf_med | $pwf_mean | $pwf_min | $pwf_max | $RUNS |"
    } > "$REPORT"
fi

# (e) agreement -----------------------------------------------------------------------------
say "comparing $WFM_OUT (agents_raw) with $PWF_OUT (raw_positions)"
"$PY" - "$DATA" "$WFM_OUT" "$PWF_OUT" "$DIFF" <<'EOF' > "$DATA_DIR/.staffing_agree.txt"
import csv, sys
from pyworkforce.queuing import ErlangC

data_path, wfm_path, pwf_path, diff_path = sys.argv[1:5]
with open(data_path, newline="") as f:
    fc = list(csv.DictReader(f))
with open(wfm_path, newline="") as f:
    wfm = list(csv.DictReader(f))
with open(pwf_path, newline="") as f:
    pwf = {int(r["interval_index"]): int(r["raw_positions"]) for r in csv.DictReader(f)}
if not (len(fc) == len(wfm) == len(pwf)):
    sys.exit(f"row counts differ: forecast {len(fc)}, wfm {len(wfm)}, pyworkforce {len(pwf)}")

busy = agree = 0
diffs = []
for i, (f_row, w_row) in enumerate(zip(fc, wfm)):
    if w_row["timestamp"] != f_row["timestamp"]:
        sys.exit(f"row {i}: wfm timestamp {w_row['timestamp']} != forecast {f_row['timestamp']}")
    contacts, aht = float(f_row["forecast"]), float(f_row["aht_seconds"])
    if contacts <= 0:
        continue
    busy += 1
    w, p = int(w_row["agents_raw"]), pwf[i]
    if w == p:
        agree += 1
    else:
        e = ErlangC(transactions=contacts, aht=aht, asa=20, interval=1800)
        diffs.append((i, f_row["timestamp"], contacts, aht, e.intensity, w, p,
                      float(w_row["service_level"]), e.service_level(p), e.service_level(w)))

with open(diff_path, "w", newline="") as f:
    out = csv.writer(f)
    out.writerow(["interval_index", "timestamp", "contacts", "aht_seconds", "intensity", "wfm_agents_raw",
                  "pyworkforce_raw_positions", "wfm_service_level", "pyworkforce_sl_at_its_answer",
                  "pyworkforce_sl_at_wfm_answer"])
    for d in diffs:
        out.writerow([d[0], d[1], d[2], d[3], f"{d[4]:.4f}", d[5], d[6], d[7], f"{d[8]:.6f}", f"{d[9]:.6f}"])

print(f"AGREE {agree} {busy}")
print(f"agents_raw == raw_positions in {agree} of {busy} intervals with contacts "
      f"({len(fc) - busy} zero-contact intervals skipped); {len(diffs)} differ")
if diffs:
    print(f"first {min(10, len(diffs))} differences (all in {diff_path}):")
    print(f"  {'index':>6} {'timestamp':19} {'contacts':>9} {'aht':>6} {'erlangs':>8} {'wfm':>4} {'pywf':>4} "
          f"{'wfm SL':>7} {'pywf SL':>7}")
    for d in diffs[:10]:
        print(f"  {d[0]:>6} {d[1]:19} {d[2]:>9.1f} {d[3]:>6.1f} {d[4]:>8.3f} {d[5]:>4} {d[6]:>4} "
              f"{d[7]:>7.4f} {d[8]:>7.4f}")
EOF
read -r _ agree busy < <(head -n 1 "$DATA_DIR/.staffing_agree.txt")

echo
echo "Staffing of $DATA ($rows x 30-minute intervals, 80 % in 20 s, no shrinkage): median wall seconds, whole process ($how)"
printf '  %-40s %8s s   (runs: %s)\n' "wfm staff (Rust, release)" "$wfm_med" "$(echo $wfm_times)"
printf '  %-40s %8s s   (runs: %s)\n' "pyworkforce ErlangC $pwf_ver (Python $py_ver)" "$pwf_med" "$(echo $pwf_times)"
printf '  %-40s %8s s   (ErlangC loop only, no start-up/imports/CSV)\n' "  of which pyworkforce's loop" "$loop_med"
echo "  pyworkforce / wfm: ${ratio}x"
echo "Markdown table: $REPORT"
echo
tail -n +2 "$DATA_DIR/.staffing_agree.txt"
[[ "$agree" == "$busy" ]] || echo "Every difference: $DIFF"
