#!/usr/bin/env bash
# The console on a terminal and off it, through a pseudo-terminal (util-linux `script`): on a
# TTY `run` with several cases draws a progress bar with an ETA and colours its report; NO_COLOR
# (set, not empty) turns the colour off but not the bar; into a file there is neither.
# Usage: console_tty_test.sh BIN_DIR SOURCE_DIR
set -euo pipefail
bin=$1
source_dir=$2
command -v script >/dev/null || { echo "console_tty_test: util-linux's script is missing"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/ipch-tty.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "console_tty_test: $*" >&2; exit 1; }

run="$bin/ipc-harness run $source_dir/scenarios/examples/matrix.yaml --seed 5 --out $work/out"
esc=$'\e'

# On a terminal: a bar with the case count, an ETA once a case has finished, colour.
script -qefc "$run" "$work/tty.txt" >/dev/null
grep -q "\] 2/3 " "$work/tty.txt" || fail "no progress bar on a terminal: $(cat -v "$work/tty.txt")"
grep -q "ETA [0-9.]*s" "$work/tty.txt" || fail "the bar has no ETA: $(cat -v "$work/tty.txt")"
grep -q "${esc}\[32mPASS" "$work/tty.txt" || fail "no colour on a terminal: $(cat -v "$work/tty.txt")"

# NO_COLOR set to anything but "": no colour; the bar stays (it is not colour).
NO_COLOR=1 script -qefc "$run" "$work/nocolor.txt" >/dev/null
grep -q "${esc}\[3[12]m" "$work/nocolor.txt" && fail "NO_COLOR=1 still coloured: $(cat -v "$work/nocolor.txt")"
grep -q "\] 2/3 " "$work/nocolor.txt" || fail "NO_COLOR took the bar away"
# NO_COLOR set but empty does not count (no-color.org).
NO_COLOR= script -qefc "$run" "$work/empty.txt" >/dev/null
grep -q "${esc}\[32mPASS" "$work/empty.txt" || fail "an empty NO_COLOR turned colour off"

# Not a terminal: plain text, no bar.
$run >"$work/plain.txt" 2>&1
grep -q "$esc" "$work/plain.txt" && fail "escape sequences written to a file: $(cat -v "$work/plain.txt")"
grep -q "ETA" "$work/plain.txt" && fail "a progress bar written to a file"
# -q on a terminal: no bar either.
script -qefc "$run -q" "$work/quiet.txt" >/dev/null
grep -q "ETA\|\] 1/3 " "$work/quiet.txt" && fail "-q drew a progress bar"
# conformance: its bar, and its table's FAIL cells red and pass cells green; none with NO_COLOR.
conformance="$bin/ipc-harness conformance --suite $source_dir/scenarios/conformance/mutual-exclusion.yaml --backends named_mutex/shm,none/shm"
script -qefc "$conformance --out $work/c1" "$work/conformance.txt" >/dev/null
grep -q "${esc}\[31mFAIL" "$work/conformance.txt" || fail "conformance: no red FAIL: $(cat -v "$work/conformance.txt")"
grep -q "${esc}\[32mpass" "$work/conformance.txt" || fail "conformance: no green pass"
grep -q "\] 2/" "$work/conformance.txt" || fail "conformance: no progress bar on a terminal"
NO_COLOR=1 script -qefc "$conformance --out $work/c2" "$work/conformance-nocolor.txt" >/dev/null
grep -q "${esc}\[3[12]m" "$work/conformance-nocolor.txt" && fail "conformance: NO_COLOR=1 still coloured"
grep -q "^none/shm *FAIL" "$work/conformance-nocolor.txt" || fail "conformance: the table lost its FAIL cell"
echo "console_tty_test: bar and colour on a terminal, NO_COLOR honoured, nothing into a file"
