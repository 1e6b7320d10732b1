#!/usr/bin/env bash
# Looks at a plan's report.html as a browser shows it: headless Chromium renders the page to a
# PNG (whole page, 1100 px wide), with JavaScript off, so what you see is what a manager sees.
#
#   bash examples/report-screenshot.sh target/plan-bank/report.html   # → target/plan-bank/report.png
#
# Needs Chromium (Debian: apt-get install chromium). The browser runs with no network access of
# its own and a throwaway profile; the report loads nothing from the network anyway.
set -euo pipefail

REPORT=${1:?usage: bash examples/report-screenshot.sh DIR/report.html [OUT.png] [HEIGHT]}
PNG=${2:-${REPORT%.html}.png}
rm -f "$PNG"
HEIGHT=${3:-6000}
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[[ -n "$BROWSER" ]] || { echo "no Chromium found (apt-get install chromium)" >&2; exit 2; }
[[ -f "$REPORT" ]] || { echo "no report at $REPORT (run wfm plan first)" >&2; exit 2; }

PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
"$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-javascript --hide-scrollbars \
    --user-data-dir="$PROFILE" --window-size=1100,"$HEIGHT" \
    --screenshot="$(realpath -m "$PNG")" "file://$(realpath "$REPORT")" > /dev/null 2>&1 || true
[[ -s "$PNG" ]] || { echo "Chromium wrote no screenshot at $PNG" >&2; exit 1; }
echo "wrote $PNG"
