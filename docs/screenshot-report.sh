#!/usr/bin/env bash
# Renders an aimc report.html in headless Chromium and saves a PNG screenshot, to check a report as a reader sees
# it (plot legible, tables complete) without opening a browser.
#
#   docs/screenshot-report.sh REPORT.html OUT.png [WIDTH HEIGHT]     # default 1200 x 2000 pixels
#
# Needs chromium (Debian/Ubuntu: apt-get install -y chromium) or google-chrome on PATH. Examples:
#   ./aimc demo --out runs/demo && docs/screenshot-report.sh runs/demo/analog/report.html /tmp/demo.png
#   ./aimc run experiments/quick-mnist.yaml --quick --out runs/quick && \
#     docs/screenshot-report.sh runs/quick/report.html /tmp/quick.png 1200 2400
# The screenshots in docs/results/report-screenshots/ were made so.
set -euo pipefail
if [ $# -lt 2 ]; then
  sed -n '2,11p' "$0" >&2
  exit 2
fi
report="$1"
out="$2"
width="${3:-1200}"
height="${4:-2000}"
if [ ! -f "$report" ]; then
  echo "screenshot-report: $report: no such file" >&2
  exit 2
fi
browser=""
for b in chromium chromium-browser google-chrome; do
  if command -v "$b" >/dev/null 2>&1; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
  echo "screenshot-report: needs chromium or google-chrome on PATH (apt-get install -y chromium)" >&2
  exit 2
fi
abs="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
mkdir -p "$(dirname "$out")"
out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
# --no-sandbox: needed when run as root (containers); the page is a local, self-contained file.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$width,$height" \
  --screenshot="$out_abs" "file://$abs" >/dev/null 2>&1
if [ ! -s "$out_abs" ]; then
  echo "screenshot-report: $browser wrote no screenshot" >&2
  exit 1
fi
echo "screenshot-report: $out_abs (${width}x${height}) from $abs"
