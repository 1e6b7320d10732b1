#!/usr/bin/env bash
# Speed gate: times the two end-to-end commands whose speed has slipped before, and fails when
# either median is above its target (issue 20):
#
#   wfm staff benches/data/staffing_1m.csv -o FILE      1,000,000 intervals   target 1.5 s
#   wfm inspect benches/data/history_100x15m.csv         3,504,000 rows        target 1.0 s
#
#   cargo build --release && bash benches/speed_gate.sh
#
# Both are whole processes of the release binary (start-up, reading, the work, writing
# requirements.csv and the table to /dev/null). The inputs are generated once, seeded, by the
# generators the comparison scripts use (make_staffing_forecast.py, gen_history.py).
#
# Environment:
#   WFM_BIN                 binary to time (default $CARGO_TARGET_DIR/release/wfm, else
#                           target/release/wfm); not built here.
#   WFM_BENCH_RUNS          timed runs per command (default 5), after one warm-up run.
#   WFM_BENCH_PYTHON        Python that runs the generators (default python3; standard library only).
#   WFM_STAFF_TARGET_SECONDS    (default 1.5)
#   WFM_INSPECT_TARGET_SECONDS  (default 1.0)
#   WFM_BENCH_NO_HYPERFINE=1    time with a bash loop even if hyperfine is installed.
#
# Exit status: 0 when both medians are within their targets, 1 when one is above (or a command
# fails). Wall times depend on what else the machine runs: the script prints the load average
# and the CPU seconds (user + system) beside the wall times, so a slow run on a busy machine can
# be told from a slower wfm. Everything it writes is under benches/data/ (git-ignored).
set -euo pipefail

BENCH_NAME=speed_gate
DEFAULT_RUNS=5
# shellcheck source=benches/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

STAFF_TARGET="${WFM_STAFF_TARGET_SECONDS:-1.5}"
INSPECT_TARGET="${WFM_INSPECT_TARGET_SECONDS:-1.0}"
FORECAST="$DATA_DIR/staffing_1m.csv"
HISTORY="$DATA_DIR/history_100x15m.csv"
REQUIREMENTS="$DATA_DIR/speed_gate_requirements.csv"
REPORT="$DATA_DIR/speed_gate.md"

# generate FILE GENERATOR ARGS...: writes FILE with the generator when it is missing or older
# than the generator.
generate() {
    local file=$1 generator=$2
    shift 2
    if [[ ! -s "$file" || "$generator" -nt "$file" ]]; then
        say "generating $file ($generator $*)"
        local tmp="$file.tmp.$$"
        trap 'rm -f "$tmp"' EXIT
        "$SYS_PY" "$generator" "$@" -o "$tmp"
        mv "$tmp" "$file"
        trap - EXIT
    fi
}
generate "$FORECAST" benches/make_staffing_forecast.py --intervals 1000000
generate "$HISTORY" benches/gen_history.py -q

[[ -x "$BIN" ]] || die "no wfm binary at $BIN: run 'cargo build --release' (or set WFM_BIN)"
say "wfm:  $BIN ($("$BIN" --version 2>/dev/null || echo "version unknown"))"
say "load: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) on $(nproc) core(s)"

q_bin=$(printf '%q' "$BIN")
STAFF_CMD="$q_bin staff $(printf '%q' "$FORECAST") -o $(printf '%q' "$REQUIREMENTS") > /dev/null 2>&1"
INSPECT_CMD="$q_bin inspect $(printf '%q' "$HISTORY") > /dev/null"
for cmd in "$STAFF_CMD" "$INSPECT_CMD"; do
    bash -c "$cmd" || die "failed: $cmd"
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_command CMD -> "MEDIAN_WALL MEDIAN_CPU RUNS..." (seconds), after one warm-up run.
time_command() {
    local cmd=$1
    if command -v hyperfine > /dev/null && [[ "${WFM_BENCH_NO_HYPERFINE:-0}" != 1 ]]; then
        local json
        json=$(mktemp)
        hyperfine --style none --warmup 1 --runs "$RUNS" --export-json "$json" "$cmd" > /dev/null
        "$SYS_PY" - "$json" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]
cpu = [u + s for u, s in zip(r["user"], r["system"])] if "user" in r and isinstance(r["user"], list) else [r["user"] + r["system"]]
print(f'{statistics.median(r["times"]):.3f} {statistics.median(cpu):.3f} ' + " ".join(f"{t:.3f}" for t in r["times"]))
PY
        rm -f "$json"
    else
        local i out walls=() cpus=()
        bash -c "$cmd"
        for ((i = 0; i < RUNS; i++)); do
            out=$( { /usr/bin/time -f '%e %U %S' bash -c "$cmd"; } 2>&1 | tail -1)
            read -r wall user sys <<< "$out"
            walls+=("$wall")
            cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')")
        done
        echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${cpus[@]}" | median) ${walls[*]}"
    fi
}

say "timing wfm staff (1 warm-up + $RUNS runs)"
read -r staff_wall staff_cpu staff_runs <<< "$(time_command "$STAFF_CMD")"
say "timing wfm inspect (1 warm-up + $RUNS runs)"
read -r inspect_wall inspect_cpu inspect_runs <<< "$(time_command "$INSPECT_CMD")"

status=0
verdict() { # verdict MEDIAN TARGET
    if awk -v m="$1" -v t="$2" 'BEGIN { exit !(m <= t) }'; then echo "ok"; else echo "TOO SLOW"; fi
}
staff_verdict=$(verdict "$staff_wall" "$STAFF_TARGET")
inspect_verdict=$(verdict "$inspect_wall" "$INSPECT_TARGET")
[[ "$staff_verdict" == ok && "$inspect_verdict" == ok ]] || status=1

{
    echo "| command | median wall [s] | target [s] | median CPU, user + system [s] | runs [s] | verdict |"
    echo "|:---|---:|---:|---:|:---|:---|"
    echo "| \`wfm staff\` 1,000,000 intervals | $staff_wall | $STAFF_TARGET | $staff_cpu | $staff_runs | $staff_verdict |"
    echo "| \`wfm inspect\` 3,504,000 rows | $inspect_wall | $INSPECT_TARGET | $inspect_cpu | $inspect_runs | $inspect_verdict |"
} > "$REPORT"
echo
cat "$REPORT"
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
[[ $status == 0 ]] || echo "$BENCH_NAME: a median is above its target" >&2
exit $status
