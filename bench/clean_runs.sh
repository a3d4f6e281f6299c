#!/bin/bash
# The long version of the clean-run test (tests/unit/integration/seeded_faults_test.cpp): the
# contention scenarios and the classic exchange, without any fault, run RUNS times under each
# mutex kind (all but `none`, a negative control with nothing to prove here; KINDS picks some).
# Every property must pass or have nothing to judge: any other verdict is a false positive.
# Prints runs, failures and time per kind, and every failure with its seed.
#
# usage: [KINDS="..."] bench/clean_runs.sh [RUNS] [BUILD_DIR]    (defaults: 1000 runs per kind, build/dev)
# Exits 1 when any run failed, 2 on misuse; it never judges the time it took.
set -euo pipefail

runs=${1:-1000}
# Every mutex kind but `none`; KINDS="named_mutex file_lock" to run fewer.
kinds=${KINDS:-"named_mutex file_lock interprocess_mutex robust_mutex named_semaphore spin"}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "${2:-$source_dir/build/dev}" && pwd)
harness="$build_dir/bin/ipc-harness"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]] || [ ! -x "$harness" ]; then
    echo "usage: $0 [RUNS] [BUILD_DIR]   (needs BUILD_DIR/bin/ipc-harness)" >&2
    exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ipch-clean-runs.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The clean set under one backend: the scenarios of scenarios/faults/ without their `faults:`
# lines and their `expect:` (last in each file), contention.yaml, and the classic exchange under
# names of its own (its fixed names may be in use by another run).
make_set() {
    local kind=$1 dir=$work/$1
    mkdir -p "$dir"
    for file in "$source_dir"/scenarios/faults/*.yaml; do
        sed -e '/^ *faults:/d' -e '/^expect:/,$d' -e 's/^name: .*/&-clean/' "$file" \
            > "$dir/$(basename "$file")"
    done
    cp "$source_dir/scenarios/examples/contention.yaml" "$dir/contention.yaml"
    sed -e "s/YourMemoryMappedFileName/clean-runs-$$-map/" \
        -e "s/NonPersisterMemoryMappedFilemutex/clean-runs-$$-mtx/" \
        "$source_dir/scenarios/classic/two-apps.yaml" > "$dir/two-apps.yaml"
    for file in "$dir"/*.yaml; do
        if grep -q 'kind: named_mutex' "$file"; then
            sed -i "s/kind: named_mutex/kind: $kind/" "$file"
        else
            echo "mutex: {kind: $kind}" >> "$file"
        fi
        # A mutex that lives in the mapping has no name of its own (the loader refuses one), and
        # takes 128 of the mapping's bytes: the classic's 100 leave no room for a message.
        case "$kind" in
        interprocess_mutex | robust_mutex | spin)
            sed -i -e '/^  name: .*mtx$/d' -e 's/^  size: 100$/  size: 256/' \
                -e 's/mapping: {size: 100}/mapping: {size: 256}/' "$file"
            ;;
        esac
    done
}

# Runs, failed runs and false positives of one results.json, as "runs failures" on stdout; the
# failures themselves (scenario, seed, property, verdict, detail) appended to $work/failures.
count() {
    python3 - "$1" "$work/failures" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
runs = failed = 0
with open(sys.argv[2], "a") as out:
    for s in report["scenarios"]:
        runs += 1
        bad = [p for p in s["properties"] if p["verdict"] not in ("pass", "not-applicable")]
        if s["outcome"] != "passed" or bad:
            failed += 1
            out.write(f"{s['name']} seed {s['seed']}: {s['outcome']}\n")
            for p in bad:
                out.write(f"    {p['id']}: {p['verdict']} ({p['detail']})\n")
print(runs, failed)
PY
}

status=0
: > "$work/failures"
for kind in $kinds; do
    make_set "$kind"
    files=("$work/$kind"/*.yaml)
    done_runs=0 failures=0
    started=$(date +%s.%N)
    # One harness run per round, each with a seed of its own, until RUNS scenario runs are done.
    while [ "$done_runs" -lt "$runs" ]; do
        left=$((runs - done_runs))
        round=("${files[@]:0:$((left < ${#files[@]} ? left : ${#files[@]}))}")
        "$harness" run "${round[@]}" --out "$work/out" -q > "$work/out.log" 2>&1 || true
        read -r n f < <(count "$work/out/results.json")
        done_runs=$((done_runs + n))
        failures=$((failures + f))
    done
    elapsed=$(echo "$(date +%s.%N) - $started" | bc)
    printf '%-12s runs %5d  failures %3d  time %7.1f s  (%.2f s per run)\n' \
        "$kind" "$done_runs" "$failures" "$elapsed" "$(echo "$elapsed / $done_runs" | bc -l)"
    [ "$failures" -eq 0 ] || status=1
done
if [ -s "$work/failures" ]; then
    echo "failures:"
    cat "$work/failures"
fi
exit $status
