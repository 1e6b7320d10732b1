#!/usr/bin/env bash
# Rostering comparison (issue 15): `wfm roster`'s weekly tours against an OR-Tools CP-SAT model of
# the same tour model (benches/cpsat_tours.py: the same days-off patterns, one shift per stretch
# of working days, weekly hours within the contracts, every interval covered, fewest agents), on
# December 1999 of the bank at 30 minutes with 150 generated agents (benches/make_team.py), the
# fewest of them (rules min_hours_per_week = 0: contracts not kept at work).
#
#   bash benches/compare_roster.sh [SECONDS]     # CP-SAT's time limit, default 120 (2 workers)
#
# Environment:
#   WFM_BENCH_VENV   Python venv (default benches/data/.venv; created, and `pip install ortools`
#                    run in it, when ortools is missing).
# Runs benches/roster_people.sh first when its requirement file is missing.
set -euo pipefail

BENCH_NAME=compare_roster
DEFAULT_RUNS=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

LIMIT=${1:-120}
[[ -x "$BIN" ]] || die "no wfm binary at $BIN (cargo build --release)"
REQ="$DATA_DIR/roster_people/bank/req1.csv"
AGENTS="$DATA_DIR/roster_people/compare_agents.csv"
RULES="$DATA_DIR/roster_people/fewest.toml"
if [[ ! -s "$REQ" ]]; then
    say "making the requirement with benches/roster_people.sh"
    bash benches/roster_people.sh >/dev/null
fi
"$SYS_PY" benches/make_team.py "$REQ" "$AGENTS" /dev/null 1 150
printf 'min_hours_per_week = 0\n' > "$RULES"
venv_with ortools

say "wfm roster (weekly tours: compact LP by interior point, diving, local search)"
start=$(date +%s.%N)
"$BIN" roster "$REQ" --agents "$AGENTS" --rules "$RULES" --shrinkage 0.3 -o "$DATA_DIR/roster_people/compare.csv" \
    2>/dev/null | grep -E '^(headcount|lower bounds|rule violations)'
end=$(date +%s.%N)
printf 'wfm: %.2f s\n' "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
say "OR-Tools CP-SAT on the same tour model, $LIMIT s, 2 workers"
"$PY" benches/cpsat_tours.py "$REQ" "$AGENTS" "$LIMIT"
