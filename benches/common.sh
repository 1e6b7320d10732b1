# Shared set-up of the peer-comparison scripts (compare_*.sh). Source it right after
# `set -euo pipefail`, with BENCH_NAME (for messages) and DEFAULT_RUNS set. It moves to the
# repository root and defines CALLER_DIR, ROOT, DATA_DIR, VENV, SYS_PY, RUNS, BIN, and the
# helpers from_caller, say and die.
#
# Environment (paths are taken relative to the directory the script was run from):
#   WFM_BIN           wfm binary (default $CARGO_TARGET_DIR/release/wfm, else target/release/wfm)
#   WFM_BENCH_VENV    Python venv of the peer tools (default benches/data/.venv)
#   WFM_BENCH_PYTHON  Python that creates the venv (default python3)
#   WFM_BENCH_RUNS    timed runs per command (default: the script's DEFAULT_RUNS)

CALLER_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

from_caller() { case "$1" in /*) printf '%s' "$1" ;; *) printf '%s/%s' "$CALLER_DIR" "$1" ;; esac; }

DATA_DIR="benches/data"
if [[ -n "${WFM_BENCH_VENV:-}" ]]; then VENV="$(from_caller "$WFM_BENCH_VENV")"; else VENV="$DATA_DIR/.venv"; fi
SYS_PY="${WFM_BENCH_PYTHON:-python3}"
RUNS="${WFM_BENCH_RUNS:-${DEFAULT_RUNS:-5}}"
if [[ -n "${WFM_BIN:-}" ]]; then
    BIN="$(from_caller "$WFM_BIN")"
elif [[ -n "${CARGO_TARGET_DIR:-}" ]]; then
    BIN="$(from_caller "$CARGO_TARGET_DIR")/release/wfm"
else
    BIN="target/release/wfm"
fi

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "${BENCH_NAME:-bench}" "$*" >&2; exit 1; }

mkdir -p "$DATA_DIR"

# venv_with MODULE [PACKAGE]: sets PY to the venv's python, creating the venv and installing
# PACKAGE (default MODULE) when MODULE cannot be imported.
venv_with() {
    local module=$1 package=${2:-$1}
    PY="$VENV/bin/python"
    if [[ ! -x "$PY" ]]; then
        say "creating venv $VENV"
        "$SYS_PY" -m venv "$VENV" || die "could not create a venv with $SYS_PY (on Debian: apt-get install python3-venv)"
    fi
    if ! "$PY" -c "import $module" 2>/dev/null; then
        say "installing $package into $VENV"
        "$PY" -m pip install --quiet --disable-pip-version-check "$package"
    fi
}
