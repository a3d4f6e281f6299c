#!/usr/bin/env bash
# Resource exhaustion ends a run with exit 3, a message that says what ran out, and nothing left
# behind (docs/design.md, exit codes):
#   1. more agents than the process limit (RLIMIT_NPROC) allows;
#   2. /dev/shm without room for the mapping (a mapping larger than the memory behind it);
#   3. /dev/shm without room for the harness's own control object.
# Each run gets a private /dev/shm (a mount namespace with a tiny tmpfs) and a pid namespace of
# its own, so "nothing left" is exact -- no object in /dev/shm, no ipc-agent or ipc-harness
# process (an orphan is re-parented to the namespace's init and seen there) -- and no other run
# on the machine is seen or disturbed. Needs root for the namespace (and,
# as root ignores RLIMIT_NPROC, to run the harness as nobody); elsewhere it is skipped (77).
#
#   tests/resource_exhaustion.sh BIN_DIR
set -uo pipefail
bin=$(cd "$1" && pwd)
harness=$bin/ipc-harness

if [ "$(id -u)" -ne 0 ] || ! unshare -m -p -f --mount-proc true 2>/dev/null || ! command -v setpriv >/dev/null ||
  ! command -v prlimit >/dev/null; then
  echo "skipped: needs root, unshare -m, setpriv and prlimit"
  exit 77
fi

work=$(mktemp -d /tmp/ipch-exhaustion.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
failures=0

# run_in_small_shm SIZE OUT SCENARIO [PREFIX...]: runs the harness (after PREFIX, e.g. setpriv)
# with /dev/shm a tmpfs of SIZE; prints its output, then "exit N", what /dev/shm holds after and
# which of our processes remain.
run_in_small_shm() {
  local size=$1 out=$2 scenario=$3
  shift 3
  unshare -m -p -f --mount-proc sh -c '
    mount -t tmpfs -o size="$1",mode=1777 tmpfs /dev/shm || exit 99
    out=$2 scenario=$3 harness=$4
    shift 4
    "$@" "$harness" run --out "$out" "$scenario" 2>&1
    echo "exit $?"
    echo "left in /dev/shm: [$(ls -A /dev/shm | tr "\n" " ")]"
    sleep 0.2
    echo "processes left: [$(grep -l -E "^ipc-(agent|harness)\$" /proc/[0-9]*/comm | tr "\n" " ")]"' \
    sh "$size" "$out" "$scenario" "$harness" "$@"
}

# expect NAME OUTPUT TEXT...: the output has exit 3, nothing left, and every TEXT.
expect() {
  local name=$1 output=$2
  shift 2
  local ok=1
  grep -q '^exit 3$' <<<"$output" || ok=0
  grep -q '^left in /dev/shm: \[\]$' <<<"$output" || ok=0
  grep -q '^processes left: \[\]$' <<<"$output" || ok=0
  for text in "$@"; do grep -qF -- "$text" <<<"$output" || ok=0; done
  if [ $ok -eq 1 ]; then
    echo "ok: $name"
  else
    echo "FAILED: $name; expected exit 3, nothing left, and: $*"
    echo "$output" | sed 's/^/    /'
    failures=$((failures + 1))
  fi
}

# 1. The process limit: nobody (root ignores RLIMIT_NPROC) may have 8 processes; 20 agents ask
# for more. The started agents are stopped and reaped.
cat >"$work/many.yaml" <<'YAML'
name: many-agents
agents:
  - name: w
    count: 20
    ops: [{write: "hello"}, read]
YAML
mkdir -m 777 "$work/out1"
output=$(run_in_small_shm 1m "$work/out1" "$work/many.yaml" \
  setpriv --reuid=65534 --regid=65534 --clear-groups prlimit --nproc=8)
expect "more agents than RLIMIT_NPROC allows" "$output" \
  "cannot start agent 'w-" "the process limit is reached: RLIMIT_NPROC"

# 2. A mapping larger than the memory behind /dev/shm (64 KiB here): refused before anything is
# created.
cat >"$work/big.yaml" <<'YAML'
name: shm-full
mapping: {size: 1MiB}
agents:
  - name: w
    ops: [{write: "hello"}, read]
YAML
output=$(run_in_small_shm 64k "$work/out2" "$work/big.yaml")
expect "a mapping larger than /dev/shm's room" "$output" \
  "not enough room for the run's objects in /dev/shm" "the mapping needs 1048576"

# 3. No room for the control object (an xsi mapping lives outside /dev/shm; 64 agents' slots
# do not fit 4 KiB): its pages are reserved at creation, so ENOSPC is an error there rather than
# a SIGBUS when the harness first writes to it.
cat >"$work/control.yaml" <<'YAML'
name: control-full
mapping: {kind: xsi}
agents:
  - name: w
    count: 64
    ops: [read]
YAML
output=$(run_in_small_shm 4k "$work/out3" "$work/control.yaml")
expect "no room for the control object" "$output" \
  "cannot create the control object" "(/dev/shm is full)"

exit $((failures > 0))
