#!/usr/bin/env bash
# The CMake integration end to end: `cmake --install` this build into a temporary prefix, then
# configure, build and test examples/consumer against it (find_package(ipc-harness) and
# ipc_harness_add_scenarios). Its scenarios must run as CTest tests, each leaving a JUnit file
# valid against Jenkins' schema; a consumer with a failing scenario must fail its ctest.
# Usage: consumer_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/ipch-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "consumer_test: $*" >&2; exit 1; }
# Without xmllint the JUnit files would pass unvalidated (scripts/install-deps.sh installs it).
command -v xmllint >/dev/null || fail "xmllint is missing: apt-get install libxml2-utils"

cmake --install "$build_dir" --prefix "$work/prefix" >"$work/install.log" ||
  { cat "$work/install.log"; fail "cmake --install failed"; }
for f in bin/ipc-harness bin/ipc-agent lib/cmake/ipc-harness/ipc-harnessConfig.cmake \
         lib/cmake/ipc-harness/ipc-harnessConfigVersion.cmake \
         lib/cmake/ipc-harness/ipc-harness-scenarios.cmake share/doc/ipc-harness/ci.md \
         share/ipc-harness/scenarios/conformance/mutual-exclusion.yaml; do
  [ -e "$work/prefix/$f" ] || fail "the install has no $f"
done

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$source_dir/examples/consumer" -B "$work/build" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/configure.log" ||
  { cat "$work/configure.log"; fail "configuring examples/consumer failed"; }
cmake --build "$work/build" >/dev/null || fail "building examples/consumer failed"

# The registered tests, by label: one per scenario file.
listed=$(ctest --test-dir "$work/build" -N -L smoke | grep -c 'ipc-harness/' || true)
[ "$listed" -eq 2 ] || fail "expected 2 tests labelled smoke, ctest -N lists $listed"
ctest --test-dir "$work/build" -L ipc --output-on-failure --output-junit "$work/ctest.xml" ||
  fail "the consumer's ctest failed"
for name in counter handoff; do
  junit="$work/build/ipc-harness-results/$name/junit.xml"
  [ -s "$junit" ] || fail "no JUnit report at $junit"
  grep -q "<testsuite name=\"$name\"" "$junit" || fail "$junit does not report $name"
  xmllint --noout --schema "$source_dir/tests/data/junit/jenkins-junit.xsd" "$junit" ||
    fail "$junit is not valid JUnit"
done

# Negative control: a consumer whose scenario runs without a lock (so mutual exclusion, which
# every scenario must hold unless it says otherwise, fails) fails its ctest. Beside it a passing
# no_lock.yaml, whose results must not land in no-lock's folder (nor overwrite them), and twins
# twin.yaml and twin.yml, which must be two tests named with their extensions.
mkdir -p "$work/bad/scenarios"
cat >"$work/bad/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(bad-consumer LANGUAGES NONE)
enable_testing()
find_package(ipc-harness REQUIRED)
ipc_harness_add_scenarios(scenarios)
CMAKE
cat >"$work/bad/scenarios/no-lock.yaml" <<'YAML'
name: unlocked
timeout: 30s
mutex: {kind: none}
agents:
  - name: worker
    count: 4
    ops:
      - repeat:
          duration: 300ms
          ops:
            - write: "{agent} {seq}"
            - read
YAML
cat >"$work/bad/scenarios/no_lock.yaml" <<'YAML'
name: locked
timeout: 30s
agents:
  - name: worker
    count: 2
    ops:
      - increment
YAML
cp "$work/bad/scenarios/no_lock.yaml" "$work/bad/scenarios/twin.yaml"
cp "$work/bad/scenarios/no_lock.yaml" "$work/bad/scenarios/twin.yml"
cmake -S "$work/bad" -B "$work/bad-build" "${generator[@]}" -DCMAKE_PREFIX_PATH="$work/prefix" \
  >/dev/null || fail "configuring the bad consumer failed"
if ctest --test-dir "$work/bad-build" >"$work/bad.log" 2>&1; then
  cat "$work/bad.log"
  fail "a scenario that loses updates passed its ctest"
fi
grep -q 'ipc-harness/no-lock .*Failed' "$work/bad.log" ||
  { cat "$work/bad.log"; fail "ctest did not report ipc-harness/no-lock as failed"; }
grep -q 'ipc-harness/no_lock .*Passed' "$work/bad.log" ||
  { cat "$work/bad.log"; fail "ctest did not report ipc-harness/no_lock as passed"; }
for twin in twin.yaml twin.yml; do
  grep -q "ipc-harness/$twin .*Passed" "$work/bad.log" ||
    { cat "$work/bad.log"; fail "ctest did not report ipc-harness/$twin as passed"; }
  [ -s "$work/bad-build/ipc-harness-results/$twin/junit.xml" ] ||
    fail "no JUnit report in ipc-harness-results/$twin"
done
# Failed for the reason planted (a property), not for bad input or a harness error.
grep -q '"outcome": "failed"' "$work/bad-build/ipc-harness-results/no-lock/results.json" ||
  fail "the unlocked scenario did not fail as a scenario: $(cat "$work/bad.log")"
echo "consumer_test: installed, built, 2 scenarios passed as CTest tests; the bad one failed; twins named apart"
