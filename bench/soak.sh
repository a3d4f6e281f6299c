#!/bin/bash
# The fault soak: runs of the soak scenarios (bench/soak/: contention under a named_mutex and a
# robust_mutex, the classic exchange) under `ipc-harness run --chaos`, which SIGKILLs or SIGSTOPs
# random agents at random moments, some inside the lock; and, in one run out of four, a SIGINT or
# SIGTERM of the controller itself at a random moment. After every run it looks for what must
# not be there, and at the end prints the figures, one `name: value` a line:
#   runs, agent signals (by kind, inside or outside the lock), controller signals, exit codes,
#   hangs (a run longer than its timeout + GRACE, killed by this script: must be 0),
#   leftovers (the run's objects in /dev/shm and its lock files: 0), orphans (ipc-agent processes
#   of the run alive or unreaped after it: 0), crashes reported (every SIGKILLed agent reported
#   `crashed` by signal 9, its history up to the kill in the kept run directory: `ipc-harness
#   check` reads back the events the report counted), interrupted runs with their partial report,
#   timeouts whose forensics name the holder.
# tests/unit/integration/soak_test.cpp runs it briefly in CI and asserts the figures.
#
# usage: bench/soak.sh [--runs N | --duration SECONDS] [--seed N] [BUILD_DIR]
#        (default: --duration 300, build/dev). --seed seeds this script's choices (scenario,
#        chaos mode, controller signal and its moment); each run's own seed, which seeds its
#        chaos, is in its report (`ipc-harness run --seed` repeats it). Exits 0 when it could
#        run, 2 on misuse: the figures are for the caller to judge.
set -uo pipefail

runs=0
duration=300
seed=$RANDOM$RANDOM
build_dir=
while [ $# -gt 0 ]; do
    case "$1" in
    --runs) runs=$2; duration=0; shift 2 ;;
    --duration) duration=$2; runs=0; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    *) build_dir=$1; shift ;;
    esac
done
source_dir=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "${build_dir:-$source_dir/build/dev}" && pwd)
harness="$build_dir/bin/ipc-harness"
if ! [[ "$runs$duration$seed" =~ ^[0-9]+$ ]] || [ "$runs$duration" = 00 ] || [ ! -x "$harness" ]; then
    echo "usage: $0 [--runs N | --duration SECONDS] [--seed N] [BUILD_DIR]" >&2
    exit 2
fi
RANDOM=$((seed % 32768))

timeout_s=1 # every soak scenario's timeout
grace_s=2   # start-up, reading the logs, the reports: beyond it, a run hangs
scenarios=(contention-named contention-robust classic)
work=$(mktemp -d "${TMPDIR:-/tmp}/ipch-soak.XXXXXX")
# SOAK_KEEP=1 keeps every run's folder (reports, run directories) and prints where.
if [ "${SOAK_KEEP:-0}" = 1 ]; then trap 'echo "kept: $work" >&2' EXIT; else trap 'rm -rf "$work"' EXIT; fi
lock_dir="${TMPDIR:-/tmp}/ipc-harness-locks-$(id -u)"

declare -A count
add() { count[$1]=$((${count[$1]:-0} + ${2:-1})); }

# Sets `picked` to a draw below $1. Not $(...): bash reseeds RANDOM in every subshell, and the
# draws would then not follow --seed.
pick() { picked=$((RANDOM % $1)); }

# The controller's run ids begin with its pid in hex (run_id.cpp): its objects and lock files.
leftovers_of() {
    local prefix
    prefix=$(printf 'ipch-%07x' "$1")
    { ls /dev/shm; ls "$lock_dir" 2>/dev/null; } | grep -c -e "^$prefix" -e "^sem\.$prefix"
}

# ipc-agent processes of this run still in the process table (alive, stopped or zombie).
orphans_of() {
    local dir=$1 n=0 pid
    for pid in $(pgrep -x ipc-agent); do
        tr '\0' ' ' 2>/dev/null < "/proc/$pid/cmdline" | grep -q -- "$dir/" && n=$((n + 1))
    done
    echo $n
}

# Every agent the chaos SIGKILLed: reported `crashed` by signal 9, and its kept log read back by
# `ipc-harness check` to as many events as the report counted.
check_crashes() {
    local report=$1 scenario run_dir killed
    for scenario in $(jq -r '.scenarios | keys[]' "$report"); do
        killed=$(jq -c "[.scenarios[$scenario].chaos[] | select(.signal == 9) | .agent]" "$report")
        [ "$killed" = "[]" ] && continue
        add crashes "$(jq length <<< "$killed")"
        run_dir=$(jq -r ".scenarios[$scenario].run_dir" "$report")
        [ -d "$run_dir" ] || continue
        "$harness" check "$run_dir" -q --json "$run_dir/check.json" > /dev/null 2>&1
        # name -> events, of the agents reported crashed by signal 9; then those whose events the
        # check read back alike.
        local reported
        reported=$(jq -n --argjson killed "$killed" \
            --slurpfile run "$report" --slurpfile again "$run_dir/check.json" '
            ($run[0].scenarios['"$scenario"'].agents | map(select(.end == "crashed" and .signal == 9)
                | {(.name): .events}) | add // {}) as $reported |
            ($again[0].scenarios[0].agents | map({(.name): .events}) | add // {}) as $read |
            [$killed[] | select($reported[.] != null and $reported[.] == $read[.])] | length')
        add crashes_reported "$reported"
        [ "$reported" = "$(jq length <<< "$killed")" ] ||
            echo "soak: a SIGKILLed agent of $run_dir is not reported with its events (SOAK_KEEP=1 keeps it)" >&2
    done
}

# Chaos signals by kind and place, and what a timeout's forensics said: one jq, `key count` lines.
count_report() {
    local report=$1 key value
    while read -r key value; do add "$key" "$value"; done < <(jq -r '
        [.scenarios[].chaos[]] as $all |
        [.scenarios[] | select(.hang != null)] as $hung |
        # A timed-out run with an agent stopped inside the lock, and those whose forensics name
        # it as the holder, alive.
        [$hung[] | . as $s | [.chaos[] | select(.signal == 19 and .inside_lock) | .agent] |
            select(length > 0) | {stopped: ., hang: $s.hang}] as $stopped |
        {kill_inside: [$all[] | select(.signal == 9 and .inside_lock)] | length,
         kill_outside: [$all[] | select(.signal == 9 and (.inside_lock | not))] | length,
         stop_inside: [$all[] | select(.signal == 19 and .inside_lock)] | length,
         stop_outside: [$all[] | select(.signal == 19 and (.inside_lock | not))] | length,
         timeouts: $hung | length,
         timeouts_with_holder: [$hung[] | select(.hang.holder != null)] | length,
         stopped_holders: $stopped | length,
         stopped_holders_named: [$stopped[] | . as $x |
             select(any($x.stopped[]; . == $x.hang.holder) and $x.hang.holder_alive)] | length,
         interrupted: (if .interrupted then 1 else 0 end)} | to_entries[] | "\(.key) \(.value)"' "$report")
    check_crashes "$report"
}

run_once() {
    local i=$1 name modes=(kill stop kill,stop) rate=8 mode signal= delay_ms
    pick ${#scenarios[@]} && name=${scenarios[$picked]}
    pick 3 && mode=${modes[$picked]}
    [ "$name" = classic ] && rate=200 # it lasts milliseconds: only a high rate meets it
    local out="$work/r$i"
    pick 4 && [ $picked = 0 ] && { signal=INT; pick 2 && [ $picked = 0 ] && signal=TERM; }
    # Within the contention scenarios' 200 ms of work (or their 1 s timeout, once an agent is
    # stopped), sometimes after a short run has ended.
    pick 400 && delay_ms=$((20 + picked))
    mkdir -p "$out"
    local started=$(date +%s%N)
    "$harness" run "$source_dir/bench/soak/$name.yaml" --chaos "$mode:$rate" --out "$out" \
        --keep-run-dirs -q > "$out/stdout" 2> "$out/stderr" &
    local pid=$!
    local limit_ns=$(((timeout_s + grace_s) * 1000000000)) hung=0 sent=0
    while kill -0 $pid 2>/dev/null && [ "$(ps -o stat= -p $pid | cut -c1)" != Z ]; do
        local now=$(date +%s%N)
        if [ -n "$signal" ] && [ $sent = 0 ] && [ $((now - started)) -ge $((delay_ms * 1000000)) ]; then
            kill -s $signal $pid 2>/dev/null && sent=1 && add "controller_$signal"
        fi
        if [ $((now - started)) -gt $limit_ns ]; then
            hung=1
            kill -s KILL $pid
            break
        fi
        sleep 0.02
    done
    wait $pid
    local code=$?
    local elapsed_ms=$((($(date +%s%N) - started) / 1000000))
    add runs
    add "exit_$code"
    add hangs $hung
    [ $elapsed_ms -gt "${count[max_run_ms]:-0}" ] && count[max_run_ms]=$elapsed_ms
    local report="$out/results.json"
    if [ -s "$report" ]; then
        local interrupted_before=${count[interrupted]:-0}
        count_report "$report"
        if [ "${count[interrupted]:-0}" != "$interrupted_before" ] && { [ $code = 130 ] || [ $code = 143 ]; }; then
            add interrupted_with_report
        fi
    elif [ $sent = 1 ] && { [ $code = 130 ] || [ $code = 143 ]; }; then
        add interrupted_before_handlers # the signal came before the controller could catch it
    else
        add missing_reports
    fi
    add leftovers "$(leftovers_of $pid)"
    add orphans "$(orphans_of "$out")"
    [ "${SOAK_KEEP:-0}" = 1 ] || rm -rf "$out"
}

started=$(date +%s)
i=0
while :; do
    if [ "$runs" -gt 0 ]; then [ $i -ge "$runs" ] && break
    else [ $(($(date +%s) - started)) -ge "$duration" ] && break; fi
    run_once $i
    i=$((i + 1))
done

codes=$(for key in "${!count[@]}"; do [[ $key == exit_* ]] && echo "${key#exit_}=${count[$key]}"; done | sort -n | tr '\n' ' ')
echo "seed: $seed"
echo "seconds: $(($(date +%s) - started))"
for key in runs kill_inside kill_outside stop_inside stop_outside controller_INT controller_TERM \
    interrupted interrupted_with_report interrupted_before_handlers hangs max_run_ms leftovers \
    orphans missing_reports crashes crashes_reported timeouts timeouts_with_holder \
    stopped_holders stopped_holders_named; do
    echo "$key: ${count[$key]:-0}"
done
echo "exit_codes: $codes"
