#!/bin/bash
# How reliably each seeded fault is caught: runs scenarios/faults RUNS times (one harness run
# each, a seed of its own) and prints per fault how often its scenario's negative control was
# caught, how often the catching property's evidence named an agent of the faulty group, and
# the fewest and median violations.
#
# usage: bench/fault_catch_rates.sh [RUNS] [BUILD_DIR]    (defaults: 50, build/dev)
set -euo pipefail

runs=${1:-50}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$(cd "${2:-$source_dir/build/dev}" && pwd)
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]] || [ ! -x "$build_dir/bin/ipc-harness" ]; then
    echo "usage: $0 [RUNS] [BUILD_DIR]   (needs BUILD_DIR/bin/ipc-harness)" >&2
    exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/ipch-catch-rates.XXXXXX")
trap 'rm -rf "$work"' EXIT

python3 - "$runs" "$source_dir" "$build_dir/bin/ipc-harness" "$work" <<'PY'
import collections, glob, json, os, re, subprocess, sys, time
runs, source, harness, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
# Each scenario's catching property (its `fail:`) and faulty group (the agent with `faults:`).
cases = {}
for path in sorted(glob.glob(os.path.join(source, "scenarios/faults/*.yaml"))):
    text = open(path).read()
    name = re.search(r"^name: (\S+)", text, re.M).group(1)
    prop = re.search(r"fail: \[([a-z-]+)\]", text).group(1)
    # classic.yaml faults both apps, and the second (open_existing) is the one that skips: the
    # last group with `faults:` is the faulty one in every file.
    group = re.findall(r"- name: (\S+)\n(?:    .*\n)*?    faults:", text)[-1]
    cases[name] = (prop, group)
stats = collections.defaultdict(lambda: [0, 0, []])
started = time.time()
for _ in range(runs):
    subprocess.run([harness, "run", os.path.join(source, "scenarios/faults"), "--out",
                    os.path.join(work, "out"), "-q"], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    for s in json.load(open(os.path.join(work, "out/results.json")))["scenarios"]:
        prop, group = cases[s["name"]]
        p = next(p for p in s["properties"] if p["id"] == prop)
        def names(e):
            return group in e["summary"] or any(
                ev["agent"] == group or ev["agent"].startswith(group + "-") for ev in e["events"])
        st = stats[s["name"]]
        st[0] += s["outcome"] == "control-caught"
        st[1] += any(names(e) for e in p["evidence"])
        st[2].append(p["violations"])
print(f"{runs} runs of scenarios/faults in {time.time() - started:.0f} s")
for name, (caught, named, v) in sorted(stats.items()):
    v.sort()
    print(f"{name:22} {cases[name][0]:16} caught {caught}/{runs}, faulty group named "
          f"{named}/{runs}, violations min {v[0]} median {v[len(v) // 2]}")
PY
