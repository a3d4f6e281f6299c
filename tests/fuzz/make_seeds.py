#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora from the project's own files.

    tests/fuzz/make_seeds.py [RUN_DIR...]

scenario/: every bundled and test scenario file (scenarios/, tests/data/good, tests/data/bad).
event_log/: the binary event logs found under each RUN_DIR (a kept run directory of
`ipc-harness run --keep-run-dirs`), cut to their first records and shrunk to fit, then
truncated and corrupted copies of each; without a RUN_DIR the event_log/ seeds are left as they
are. event_jsonl/: the JSON-lines example of
docs/agent-protocol.md, whole, cut and corrupted. Files already in a corpus (the findings kept
as regression inputs) are left alone; the generated ones are rewritten.
"""
import pathlib
import re
import shutil
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
HEADER, RECORD, KEEP = 256, 96, 12


def write(folder, name, data):
    path = HERE / folder / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)


def scenario_seeds():
    for base in ("scenarios", "tests/data/good", "tests/data/bad", "tests/data/external"):
        for path in sorted((ROOT / base).rglob("*.yaml")):
            rel = path.relative_to(ROOT).as_posix().replace("/", "_")
            shutil.copyfile(path, HERE / "scenario" / ("seed_" + rel))


def log_variants(log):
    """A real log, shrunk to its first records, and the damage a dying agent or a stray write
    can do to one."""
    committed = struct.unpack_from("<Q", log, 32)[0]
    keep = min(committed, KEEP)
    small = bytearray(log[: HEADER + keep * RECORD])
    struct.pack_into("<QQ", small, 24, keep, keep)  # capacity, committed
    yield "whole", bytes(small)
    yield "cut_in_header", bytes(small[:100])
    yield "cut_in_record", bytes(small[: HEADER + RECORD + 40])
    over = bytearray(small)
    struct.pack_into("<Q", over, 32, keep + 1000)  # committed beyond the file
    yield "committed_beyond", bytes(over)
    for offset, value, what in ((0, b"XXXX", "bad_magic"), (4, b"\x09\x00", "bad_version"),
                                (8, b"\x50\x00\x00\x00", "bad_record_size"),
                                (40, b"\x07\x00\x00\x00", "bad_status")):
        bad = bytearray(small)
        bad[offset:offset + len(value)] = value
        yield what, bytes(bad)
    if keep > 1:
        bad = bytearray(small)
        struct.pack_into("<H", bad, HEADER + RECORD + 4, 99)  # record 1's kind
        yield "bad_record", bytes(bad)


def event_log_seeds(run_dirs):
    for run_dir in run_dirs:
        for path in sorted(pathlib.Path(run_dir).rglob("*.events")):
            log = path.read_bytes()
            if len(log) < HEADER:
                continue
            stem = path.parent.name.rsplit("-", 1)[0] + "_" + path.stem
            for what, data in log_variants(log):
                write("event_log", f"seed_{stem}_{what}", data)


def event_jsonl_seeds():
    doc = (ROOT / "docs/agent-protocol.md").read_text()
    block = re.search(r"```jsonl\n(.*?)```", doc, re.S).group(1).encode()
    write("event_jsonl", "seed_protocol_whole", block)
    write("event_jsonl", "seed_protocol_status", block + b'{"status":"finished"}\n')
    write("event_jsonl", "seed_protocol_cut", block[: len(block) // 2])
    write("event_jsonl", "seed_protocol_bad_kind", block.replace(b'"write"', b'"juggle"', 1))


if __name__ == "__main__":
    # The logs' seeds come from run directories only: without any, the ones there are kept.
    folders = ["scenario", "event_jsonl"] + (["event_log"] if sys.argv[1:] else [])
    for folder in folders:
        (HERE / folder).mkdir(exist_ok=True)
        for old in (HERE / folder).glob("seed_*"):
            old.unlink()
    scenario_seeds()
    event_log_seeds(sys.argv[1:])
    event_jsonl_seeds()
