#!/usr/bin/env bash
# The test suite under the sanitizers (CI runs it after scripts/test.sh):
#   asan: AddressSanitizer + UndefinedBehaviorSanitizer, the whole suite;
#   tsan: ThreadSanitizer, the tests of the code that runs threads (see TSAN_TESTS).
# Each build has its own agent, harness and tests (presets `asan`, `tsan`, no benchmarks); the
# harness runs the ipc-agent beside it, so every agent a test starts is sanitized too.
# Sanitizer reports of every process (the agents included, whose stderr a test may never show)
# go to build/PRESET/sanitizer-logs/; any report there fails the step, even if no test did.
# The presets build at -O0 -g1: a third to two thirds of -O1 -g's compile time, with line numbers
# in the reports; the tests run slower, but building is most of this step's time.
# Usage: scripts/sanitizers.sh [asan|tsan]...   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."

# ThreadSanitizer sees the threads of one process only: the agents synchronise across processes
# (shared-memory locks), which it cannot follow, and each agent is single-threaded. What has
# threads of its own: the stress progress bar (a redraw thread), conformance's isolation case
# (two runs at once in one harness process), and the harness's signal handling (TSan checks what
# a handler calls). So: the stress unit tests, and the integration tests that drive stress,
# conformance, signals and one whole bundled-scenario run. The rest of the suite is
# single-threaded code that ASan+UBSan already covers; under TSan it would only be slower (and
# is not built: TSAN_TARGETS).
TSAN_TESTS='^stress:|^integration:.*(stress|conformance|signal|SIGINT|SIGTERM|classic)|^console: bar|^no named objects'
TSAN_TARGETS=(ipc-agent ipc-harness test_stress test_integration)
# docs/stress.md's compare example expects --hold 2us to cut one agent's throughput well beyond
# the repeats' noise; under TSan the agent without hold is itself slowed to ~100 k sections/s,
# the two configurations differ by less than the noise of a loaded machine, and the example's
# verdict says nothing about threads. The dev and ASan builds run it.
TSAN_SKIPPED='docs/stress.md'

# Tests of no sanitized code: the formatting of the sources, the Python agent's own tests.
NOT_SANITIZED='sources are clang-formatted|python agent: unit tests'

unset IPCH_AGENT # the harness must run the ipc-agent beside it, the sanitized one

run_preset() {
  local preset=$1 runtime=$2
  local logs="$PWD/build/$preset/sanitizer-logs"
  echo "== $preset: configure and build"
  cmake --preset "$preset" >/dev/null
  if [ "$preset" = tsan ]; then
    cmake --build --preset "$preset" --target "${TSAN_TARGETS[@]}"
  else
    cmake --build --preset "$preset"
  fi
  for exe in ipc-agent ipc-harness; do
    # ldd's output is read whole first: `ldd | grep -q` under pipefail fails whenever grep
    # stops reading before ldd is done writing (SIGPIPE), which is what happened to tsan.
    local libs
    libs=$(ldd "build/$preset/bin/$exe")
    if ! grep -q "$runtime" <<<"$libs"; then
      echo "build/$preset/bin/$exe is not linked with $runtime" >&2
      return 1
    fi
  done
  rm -rf "$logs" && mkdir -p "$logs"
  local common="log_path=$logs/$preset:print_stacktrace=1"
  export ASAN_OPTIONS="$common:detect_leaks=1:abort_on_error=0"
  export UBSAN_OPTIONS="$common:halt_on_error=1"
  export TSAN_OPTIONS="$common:halt_on_error=0:second_deadlock_stack=1:suppressions=$PWD/tests/tsan.supp"
  echo "== $preset: tests"
  local status=0
  if [ "$preset" = tsan ]; then
    # A pattern that silently matches nothing would pass: CTest names are "stress:...", no space.
    local selected
    selected=$(ctest --preset "$preset" -N -E "$NOT_SANITIZED|$TSAN_SKIPPED" -R "$TSAN_TESTS" | grep -c '^ *Test *#') || true
    echo "== tsan: $selected tests selected"
    if [ "$selected" -lt 20 ]; then
      echo "TSAN_TESTS selects $selected tests; the stress and integration tests are missing" >&2
      return 1
    fi
    ctest --preset "$preset" -j2 -E "$NOT_SANITIZED|$TSAN_SKIPPED" -R "$TSAN_TESTS" || status=$?
  else
    ctest --preset "$preset" -j2 -E "$NOT_SANITIZED" || status=$?
  fi
  # LeakSanitizer's exit-time check cannot stop a process that is SIGKILLed meanwhile (an agent
  # killed by --chaos or a test as it exits): its log then holds only "Unable to get registers
  # from thread N." and no report. Such a log is set aside, printed, and does not fail the step.
  for log in "$logs"/*; do
    [ -f "$log" ] || continue
    if ! grep -qv '^==[0-9]*==Unable to get registers from thread [0-9]*\.$' "$log"; then
      echo "== $preset: LeakSanitizer could not stop a dying process (not a report): $(cat "$log")"
      mv "$log" "$logs/../sanitizer-notes.$(basename "$log")"
    fi
  done
  if compgen -G "$logs/*" >/dev/null; then
    echo "== $preset: sanitizer reports (build/$preset/sanitizer-logs):"
    head -n 60 "$logs"/*
    status=1
  fi
  unset ASAN_OPTIONS UBSAN_OPTIONS TSAN_OPTIONS
  return $status
}

presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(asan tsan)
for preset in "${presets[@]}"; do
  case $preset in
  asan) run_preset asan libasan ;;
  tsan) run_preset tsan libtsan ;;
  *) echo "unknown preset '$preset'; expected asan or tsan" >&2 && exit 2 ;;
  esac
done
