#!/usr/bin/env bash
# The main job: install what is missing, build, run the bundled scenario suite, print the
# summary and write the reports (JUnit, JSON, HTML, trace, Markdown) to the folder named by
# IPCH_OUT (default ./ipch-results). Extra arguments go to `ipc-harness run` (e.g. -v).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset dev >/dev/null
cmake --build --preset dev

out="${IPCH_OUT:-ipch-results}"
echo "Running the bundled scenarios; reports go to $out/"
# The conformance suite (scenarios/conformance) is `ipc-harness conformance`'s: its `none` cells
# are findings, not failures of this suite.
exec build/dev/bin/ipc-harness run scenarios/classic scenarios/examples scenarios/faults \
  --out "$out" --html "$out/report.html" --trace "$out/trace.json" --markdown "$out/summary.md" "$@"
