#!/usr/bin/env bash
# The HTML report of a 1 M-event run (issue 7): its size (target <= 5 MB) and how long headless
# Chromium takes to render it (target <= 3 s), beside a baseline measured in the same run: the
# same Chromium rendering an empty page. Prints figures; never fails on them.
#   bench/html_report.sh [EVENTS=1000000] [BUILD_DIR=build/dev]
set -euo pipefail
events=${1:-1000000}
build=${2:-build/dev}
harness="$build/bin/ipc-harness"
command -v chromium > /dev/null || { echo "html_report: chromium not found (scripts/install-deps.sh)"; exit 1; }
[ -x "$harness" ] || { echo "html_report: $harness not built"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
agents=4
# Each write is one event and one critical section.
cat > "$work/million.yaml" <<YAML
name: html-bench
timeout: 300s
agents:
  - name: worker
    count: $agents
    ops:
      - repeat: {count: $((events / agents)), ops: [{write: "{agent} {seq}"}]}
YAML
echo '<!DOCTYPE html><html><body>empty</body></html>' > "$work/empty.html"

start=$(date +%s.%N)
"$harness" run "$work/million.yaml" --out "$work/out" --html "$work/report.html" \
  --trace "$work/trace.json" -q
run_s=$(awk "BEGIN { print $(date +%s.%N) - $start }")
recorded=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['scenarios'][0]['events'])" "$work/out/results.json")

# Wall time of `chromium --dump-dom` (start, load, scripts, serialise), and the page's own
# figure: performance.now() when its script finished drawing (data-render-ms).
render() {
  local page=$1 t0 t1
  t0=$(date +%s.%N)
  chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/profile" \
    --dump-dom "file://$page" > "$work/dom.html" 2> /dev/null
  t1=$(date +%s.%N)
  awk "BEGIN { print $t1 - $t0 }"
}
empty_s=$(render "$work/empty.html")
report_s=$(render "$work/report.html")
page_ms=$(grep -o 'data-render-ms="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*' || echo "?")
lanes=$(grep -o 'class="lane"' "$work/dom.html" | wc -l)

size=$(stat -c %s "$work/report.html")
trace_size=$(stat -c %s "$work/trace.json")
printf 'run: %s events recorded, %s agents, %.2f s (run, check and reports)\n' "$recorded" "$agents" "$run_s"
printf 'html: %d bytes = %.2f MB (target <= 5 MB)\n' "$size" "$(awk "BEGIN { print $size / 1000000 }")"
printf 'trace: %.2f MB\n' "$(awk "BEGIN { print $trace_size / 1000000 }")"
printf 'chromium --dump-dom: report %.2f s, empty page %.2f s (baseline), difference %.2f s (target <= 3 s)\n' \
  "$report_s" "$empty_s" "$(awk "BEGIN { print $report_s - $empty_s }")"
printf 'in page: loaded and drawn at %s ms after navigation start; %s timeline lanes drawn\n' "$page_ms" "$lanes"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
