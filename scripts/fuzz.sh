#!/usr/bin/env bash
# Bounded fuzzing of the hostile-input readers: configures and builds the `fuzz` preset
# (clang++-14, libFuzzer + ASan + UBSan), then runs each target for SECONDS (default 60) from its
# seed corpus in tests/fuzz/TARGET/. Prints each target's executions and time. Exits 1 when a
# target finds a crash, a leak, a timeout or an out-of-memory; the input is kept in
# build/fuzz/findings/ (add it to tests/fuzz/TARGET/ once fixed: it becomes a regression seed).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      targets: scenario event_log event_jsonl
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario event_log event_jsonl)

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake --preset fuzz "${launcher[@]}" >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

work=build/fuzz/corpus
findings=build/fuzz/findings
mkdir -p "$findings"
failed=0
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192
           -print_final_stats=1 -artifact_prefix="$findings/$target-")
  [ -f "tests/fuzz/$target.dict" ] && options+=(-dict="tests/fuzz/$target.dict")
  log=build/fuzz/$target.log
  start=$(date +%s)
  # New inputs go to the first folder (build/): the seeds in tests/fuzz/ are only read.
  status=0
  "build/fuzz/bin/fuzz_$target" "${options[@]}" "$work/$target" "tests/fuzz/$target" \
    >"$log" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  corpus=$(find "$work/$target" -type f | wc -l)
  echo "fuzz: $target: ${runs:-?} executions in ${elapsed} s, $corpus new corpus inputs, exit $status"
  if [ "$status" -ne 0 ]; then
    failed=1
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error|artifact_prefix|Test unit written)' "$log" | head -20
    echo "fuzz: $target: full output in $log; the input is in $findings/" >&2
  fi
done
exit $failed
