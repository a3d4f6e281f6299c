#!/usr/bin/env python3
"""An ipc-harness agent in Python, with the standard library alone.

The worked example of an external agent (docs/agent-protocol.md): ipc-harness starts it as

    python_agent.py [ARGS...] PLAN.json        (and IPCH_PLAN=PLAN.json in its environment)

It reads its plan, maps the POSIX shared-memory object /dev/shm/<mapping name> with mmap, takes
the run's `file_lock` with fcntl (the same whole-file record lock Boost's file_lock takes, on the
same file, so it excludes built-in agents and they exclude it), follows the harness's start
barrier on the control object /dev/shm/<control name>, runs its ops and writes one JSON line per
op to its event file.

Ops: write (text), read (expect TEXT / any-valid), wait_for (text or from), hold, sleep,
increment, repeat. Mutex kinds: file_lock, and none (the lock is skipped: a negative control).
A plan that asks for anything else is refused before the agent touches any object (exit 2).

Exit codes, as ipc-agent's: 0 every op ran; 1 an op or the open failed (recorded in the events);
2 usage or a plan this agent cannot run; 3 its own set-up failed (event file, control object);
4 the harness aborted the run, the start barrier timed out, or the harness is gone.
"""

import ctypes
import errno
import fcntl
import json
import mmap
import os
import random
import struct
import sys
import time

PLAN_VERSION = 2

# --- XXH64 ------------------------------------------------------------------------------------
# The message checksum (XXH64, seed 0). The standard library has no xxhash; this follows the
# reference algorithm (xxhash.h), 64-bit arithmetic masked by hand.

_P1 = 0x9E3779B185EBCA87
_P2 = 0xC2B2AE3D27D4EB4F
_P3 = 0x165667B19E3779F9
_P4 = 0x85EBCA77C2B2AE63
_P5 = 0x27D4EB2F165667C5
_M64 = 0xFFFFFFFFFFFFFFFF


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & _M64


def _round(acc, lane):
    acc = (acc + lane * _P2) & _M64
    return (_rotl(acc, 31) * _P1) & _M64


def _merge(acc, value):
    acc ^= _round(0, value)
    return (acc * _P1 + _P4) & _M64


def xxh64(data, seed=0):
    """XXH64 of `data` (bytes-like) with `seed`, as an int."""
    data = bytes(data)
    length = len(data)
    i = 0
    if length >= 32:
        v1 = (seed + _P1 + _P2) & _M64
        v2 = (seed + _P2) & _M64
        v3 = seed & _M64
        v4 = (seed - _P1) & _M64
        lanes = struct.unpack_from("<%dQ" % ((length // 32) * 4), data)
        for j in range(0, len(lanes), 4):
            v1 = _round(v1, lanes[j])
            v2 = _round(v2, lanes[j + 1])
            v3 = _round(v3, lanes[j + 2])
            v4 = _round(v4, lanes[j + 3])
        i = (length // 32) * 32
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & _M64
        for v in (v1, v2, v3, v4):
            h = _merge(h, v)
    else:
        h = (seed + _P5) & _M64
    h = (h + length) & _M64
    while i + 8 <= length:
        (lane,) = struct.unpack_from("<Q", data, i)
        h ^= _round(0, lane)
        h = (_rotl(h, 27) * _P1 + _P4) & _M64
        i += 8
    if i + 4 <= length:
        (lane,) = struct.unpack_from("<I", data, i)
        h ^= (lane * _P1) & _M64
        h = (_rotl(h, 23) * _P2 + _P3) & _M64
        i += 4
    while i < length:
        h ^= (data[i] * _P5) & _M64
        h = (_rotl(h, 11) * _P1) & _M64
        i += 1
    h ^= h >> 33
    h = (h * _P2) & _M64
    h ^= h >> 29
    h = (h * _P3) & _M64
    h ^= h >> 32
    return h


# --- What the plan says -----------------------------------------------------------------------


def owner_token(run_id, agent_id):
    """What the agent writes into the mapping's owner word inside the critical section: a
    16-bit salt from the run id (FNV-1a), then the agent id. As agent_plan.cpp owner_token()."""
    h = 2166136261
    for byte in run_id.encode():
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    salt = (h ^ (h >> 16)) & 0xFFFF
    return ((salt or 1) << 16) | (agent_id & 0xFFFF)


def expand_template(text, plan, seq):
    """{agent}, {group}, {id}, {seq}, {run}; anything else in braces stays as written."""
    agent = plan["agent"]
    values = {
        "agent": agent["name"],
        "group": agent["group"],
        "id": str(agent["id"]),
        "seq": str(seq),
        "run": plan["run_id"],
    }
    out = []
    i = 0
    while i < len(text):
        if text[i] == "{":
            close = text.find("}", i)
            if close != -1 and text[i + 1 : close] in values:
                out.append(values[text[i + 1 : close]])
                i = close + 1
                continue
        out.append(text[i])
        i += 1
    return "".join(out)


SUPPORTED_OPS = {"write", "read", "wait_for", "hold", "sleep", "increment", "repeat"}
SUPPORTED_MUTEXES = {"file_lock", "none"}


def plan_problems(plan):
    """Why this agent cannot run the plan (a list of sentences; empty when it can)."""
    problems = []
    if plan.get("format") != "ipch-agent-plan":
        return ["not an ipch agent plan (format is not 'ipch-agent-plan')"]
    if plan.get("version") != PLAN_VERSION:
        return ["plan version %s is not supported; this agent reads version %d"
                % (plan.get("version"), PLAN_VERSION)]
    if plan["mapping"]["kind"] != "shm":
        problems.append("mapping kind '%s' is not supported; expected shm" % plan["mapping"]["kind"])
    if plan["mutex"]["kind"] not in SUPPORTED_MUTEXES:
        problems.append("mutex kind '%s' is not supported by the Python agent; expected one of: %s"
                        % (plan["mutex"]["kind"], ", ".join(sorted(SUPPORTED_MUTEXES))))
    if plan["log"].get("format") != "jsonl":
        problems.append("the plan asks for a '%s' event log; this agent writes jsonl"
                        % plan["log"].get("format", "binary"))

    def walk(ops):
        for op in ops:
            if op["op"] not in SUPPORTED_OPS:
                problems.append("op #%d '%s' is not supported by the Python agent; expected one of: %s"
                                % (op["id"], op["op"], ", ".join(sorted(SUPPORTED_OPS))))
            elif op["op"] == "write" and "text" not in op:
                problems.append("op #%d: write {size, pattern} is not supported by the Python agent"
                                % op["id"])
            elif op["op"] == "repeat":
                walk(op["ops"])

    walk(plan["ops"])
    return problems


# --- The harness's control object (docs/agent-protocol.md, "The control object") -------------

CONTROL_MAGIC = 0x4C544349  # "ICTL"
OFF_OPEN_PHASE = 16
OFF_GO = 20
OFF_ABORT = 24
OFF_SLOTS = 64
SLOT_SIZE = 64  # per slot: u32 state @0, u32 op_id @4, u64 t_state_ns @8
PHASE_CREATORS, PHASE_EVERYONE = 1, 2
STATE_OPENED, STATE_RUNNING, STATE_DONE, STATE_FAILED = 1, 2, 3, 4
POLL_S = 0.001  # a script may poll the futex words; 1 ms is well below the harness's timeouts


class Aborted(Exception):
    """The harness aborted the run, or the wait ran out of time."""


class Control:
    def __init__(self, name, agent_index):
        fd = os.open("/dev/shm/" + name, os.O_RDWR | os.O_CLOEXEC)
        try:
            self.mm = mmap.mmap(fd, 0)
        finally:
            os.close(fd)
        if len(self.mm) < OFF_SLOTS:
            raise RuntimeError("'%s' is %d bytes: too small for a control object"
                               % (name, len(self.mm)))
        magic, _version, agent_count = struct.unpack_from("<III", self.mm, 0)
        # The version grows as the harness appends areas; the offsets used here do not move.
        if magic != CONTROL_MAGIC:
            raise RuntimeError("'%s' is not an ipc-harness control object" % name)
        if agent_index >= agent_count or len(self.mm) < OFF_SLOTS + SLOT_SIZE * agent_count:
            raise RuntimeError("agent index %d is outside the control object's %d slots"
                               % (agent_index, agent_count))
        self.slot = OFF_SLOTS + SLOT_SIZE * agent_index

    def word(self, offset):
        return struct.unpack_from("<I", self.mm, offset)[0]

    def wait_until(self, offset, at_least, timeout_ns):
        deadline = time.monotonic_ns() + timeout_ns
        while self.word(offset) < at_least:
            if self.word(OFF_ABORT) != 0 or time.monotonic_ns() >= deadline:
                raise Aborted()
            time.sleep(POLL_S)

    def set_state(self, state):
        struct.pack_into("<Q", self.mm, self.slot + 8, time.monotonic_ns())
        struct.pack_into("<I", self.mm, self.slot, state)

    def set_op(self, op_id):
        struct.pack_into("<I", self.mm, self.slot + 4, op_id)


# --- The objects under test -------------------------------------------------------------------


class OpenFailed(Exception):
    def __init__(self, error, message):
        super().__init__(message)
        self.error = error


def open_object(path, mode, permissions):
    """Opens (or creates) the file `path` as the open mode says; returns (fd, created)."""
    flags = os.O_RDWR | os.O_CLOEXEC
    if mode == "open_existing":
        return os.open(path, flags), False
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, permissions)
    except FileExistsError:
        if mode == "create_only":
            raise
        return os.open(path, flags), False
    os.fchmod(fd, permissions)  # open() applied the umask; the plan says what the mode is
    return fd, True


# Offsets in the mapping, from the start of the 48-byte header (docs/agent-protocol.md).
H_STAMP, H_OWNER, H_COUNTER = 0, 8, 16
H_WRITER, H_LENGTH, H_WRITER_SEQ, H_CHECKSUM = 24, 28, 32, 40
HEADER_SIZE = 48
GUARD_SIZE = 8  # the mapping's last 8 bytes: zero, never written


def mapping_layout(size, lock_bytes):
    """(header offset, payload offset, capacity) of a mapping of `size` bytes, as
    [lock area][header][payload][guard]; None when it has no room for one payload byte."""
    header = (lock_bytes + 7) // 8 * 8
    payload = header + HEADER_SIZE
    if size < payload + 1 + GUARD_SIZE:
        return None
    return header, payload, size - payload - GUARD_SIZE


class Mapping:
    def __init__(self, plan):
        m = plan["mapping"]
        path = "/dev/shm/" + m["name"]
        try:
            fd, self.created = open_object(path, m["open"], plan["permissions"])
        except OSError as e:
            raise OpenFailed(e.errno, "cannot open shared memory '%s' (%s): %s"
                             % (m["name"], m["open"], e.strerror))
        try:
            size = os.fstat(fd).st_size
            # A creator (or a create-or-open that found it still unsized) sizes it; ftruncate to
            # the same size twice is harmless and zero-fills.
            if size == 0 and m["open"] != "open_existing":
                os.ftruncate(fd, m["size"])
                size = m["size"]
            layout = mapping_layout(size, m["lock_bytes"])
            if layout is None:
                raise OpenFailed(errno.EINVAL, "shared memory '%s' is %d bytes: too small for "
                                 "the message header" % (m["name"], size))
            self.header, self.payload, self.capacity = layout
            self.identity = os.fstat(fd).st_ino
            self.mm = mmap.mmap(fd, size)
            self.not_zero = self.created and self.found_not_zero()
        except OSError as e:
            raise OpenFailed(e.errno, "cannot size or map shared memory '%s': %s"
                             % (m["name"], e.strerror))
        finally:
            os.close(fd)  # the mapping keeps its own reference

    def found_not_zero(self):
        """Whether the mapping this agent created holds anything after its lock area before any
        critical section ran in it (stamp and owner 0, read again after the look)."""
        if self.get("<Q", H_STAMP) != 0:
            return False
        end = self.payload + min(self.capacity, 1 << 20)  # as ipc-agent: at most 1 MiB of payload
        if not any(self.mm[self.header:end]) and not any(self.mm[len(self.mm) - GUARD_SIZE:]):
            return False
        return self.get("<Q", H_STAMP) == 0 and self.get("<I", H_OWNER) == 0

    def get(self, fmt, offset):
        return struct.unpack_from(fmt, self.mm, self.header + offset)[0]

    def put(self, fmt, offset, value):
        struct.pack_into(fmt, self.mm, self.header + offset, value)


class FileLock:
    """The file_lock kind: an fcntl write lock over the whole of /dev/shm/<mutex name>.

    fcntl locks belong to the process and the kernel drops them when the process closes ANY
    descriptor of the file: this agent opens the lock file once and keeps that descriptor."""

    def __init__(self, plan):
        path = "/dev/shm/" + plan["mutex"]["name"]
        try:
            self.fd, self.created = open_object(path, plan["mapping"]["open"],
                                                plan["permissions"])
            self.identity = os.fstat(self.fd).st_ino
        except OSError as e:
            raise OpenFailed(e.errno, "cannot open file_lock '%s' (%s): %s"
                             % (path, plan["mapping"]["open"], e.strerror))

    def lock(self):
        fcntl.lockf(self.fd, fcntl.LOCK_EX)  # F_SETLKW, F_WRLCK, from 0 to the end: Boost's

    def unlock(self):
        fcntl.lockf(self.fd, fcntl.LOCK_UN)


class NoLock:
    """The `none` kind: locks nothing. The checker must catch it."""

    created = False  # no named object
    identity = 0

    def lock(self):
        pass

    def unlock(self):
        pass


# --- Events -----------------------------------------------------------------------------------

TOO_LARGE = 10001  # event_error::too_large


class EventFile:
    """One JSON line per event, each written with one write(2) on an O_APPEND descriptor: a
    crash keeps every whole line written before it."""

    def __init__(self, path):
        self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | os.O_CLOEXEC,
                          0o644)

    def write(self, record):
        os.write(self.fd, (json.dumps(record, separators=(",", ":")) + "\n").encode())

    def close(self, status):
        self.write({"status": status})
        os.close(self.fd)


def event(op_id, kind, seq, **fields):
    record = {"op_id": op_id, "kind": kind, "outcome": "ok", "seq": seq}
    record.update(fields)
    return record


# --- Ops --------------------------------------------------------------------------------------

FIRST_POLL_NS = 20_000  # wait_for's polls back off from here to the cap, as ipc-agent's
MAX_POLL_NS = 2_000_000


def sleep_ns(ns):
    if ns > 0:
        time.sleep(ns / 1e9)


def wait_until_ns(deadline):
    """Sleeps most of the way, then spins: a hold must not end early nor far too late."""
    while True:
        left = deadline - time.monotonic_ns()
        if left <= 0:
            return
        if left > 200_000:
            time.sleep((left - 100_000) / 1e9)


class Executor:
    def __init__(self, plan, mapping, lock, events, control):
        self.plan = plan
        self.mapping = mapping
        self.lock = lock
        self.events = events
        self.control = control
        self.token = owner_token(plan["run_id"], plan["agent"]["id"])
        self.random = random.Random(plan["agent"]["seed"])
        self.seq = 0  # one per executed op instance
        self.writes = 0  # this agent's own writes, from 1
        self.current = None  # the leaf op being executed

    def run(self, ops):
        for op in ops:
            if op["op"] == "repeat":
                self.repeat(op)
                continue
            self.control.set_op(op["id"])
            self.seq += 1
            self.current = op
            getattr(self, op["op"])(op)

    def repeat(self, op):
        if op.get("count", 0) > 0:
            for _ in range(op["count"]):
                self.run(op["ops"])
            return
        deadline = time.monotonic_ns() + op["duration_ns"]
        while time.monotonic_ns() < deadline:
            self.run(op["ops"])

    def locked(self, body):
        """A critical section, as ipc-agent's Executor::locked(): set the owner word, bump the
        stamp with a plain load and store, do the work, check and clear the owner word."""
        m = self.mapping
        section = {"flags": ["critical_section"], "t_requested": time.monotonic_ns()}
        self.lock.lock()
        section["t_acquired"] = time.monotonic_ns()
        owner = m.get("<I", H_OWNER)
        section["owner_seen"] = owner
        if owner != 0 and owner >> 16 == self.token >> 16:
            section["flags"].append("owner_busy")
        m.put("<I", H_OWNER, self.token)
        section["stamp"] = m.get("<Q", H_STAMP) + 1
        m.put("<Q", H_STAMP, section["stamp"])
        result = body()
        if m.get("<I", H_OWNER) != self.token:
            section["flags"].append("owner_changed")
        m.put("<I", H_OWNER, 0)
        # Read inside the critical section: a correct lock keeps it before the next acquire.
        section["t_released"] = time.monotonic_ns()
        self.lock.unlock()
        return section, result

    def write(self, op):
        writer_seq = self.writes + 1
        data = expand_template(op["text"], self.plan, writer_seq).encode()
        m = self.mapping
        if len(data) > m.capacity:
            now = time.monotonic_ns()
            self.events.write(event(op["id"], "write", self.seq, outcome="error", error=TOO_LARGE,
                                    t_requested=now, t_released=now, msg_length=len(data)))
            return
        writer = self.plan["agent"]["id"]
        checksum = xxh64(data)

        def body():
            m.mm[m.payload : m.payload + len(data)] = data
            m.put("<I", H_WRITER, writer)
            m.put("<I", H_LENGTH, len(data))
            m.put("<Q", H_WRITER_SEQ, writer_seq)
            m.put("<Q", H_CHECKSUM, checksum)

        section, _ = self.locked(body)
        self.writes = writer_seq
        section["flags"].append("written")
        self.events.write(event(op["id"], "write", self.seq, **section, msg_writer=writer,
                                msg_length=len(data), msg_writer_seq=writer_seq,
                                msg_checksum=checksum))

    def copy_message(self):
        m = self.mapping
        header = (m.get("<I", H_WRITER), m.get("<I", H_LENGTH), m.get("<Q", H_WRITER_SEQ),
                  m.get("<Q", H_CHECKSUM))
        length = min(header[1], m.capacity)
        return header, bytes(m.mm[m.payload : m.payload + length])

    def observe(self, header, payload, record):
        """Fills the observed message's fields; returns the payload when it is whole, else None
        (torn). The all-zero header is the valid empty state: b''."""
        writer, length, writer_seq, checksum = header
        record["flags"].append("observed")
        record.update(msg_writer=writer, msg_length=length, msg_writer_seq=writer_seq,
                      msg_checksum=checksum)
        if writer == 0:
            if length or writer_seq or checksum:
                record["flags"].append("torn")
                return None
            return b""
        if length > self.mapping.capacity:
            record["flags"].append("torn")
            return None
        record["computed_checksum"] = xxh64(payload)
        if record["computed_checksum"] != checksum:
            record["flags"].append("torn")
            return None
        return payload

    def read(self, op):
        section, (header, payload) = self.locked(self.copy_message)
        record = event(op["id"], "read", self.seq, **section)
        seen = self.observe(header, payload, record)
        if op.get("expect_any_valid"):
            record["flags"] += ["expect", "any_valid"]
            if seen is None:
                record["outcome"] = "mismatch"
        elif "expect" in op:
            record["flags"].append("expect")
            wanted = expand_template(op["expect"], self.plan, self.writes).encode()
            if seen != wanted:
                record["outcome"] = "mismatch"
        self.events.write(record)

    def wait_for(self, op):
        wanted = expand_template(op.get("text", ""), self.plan, self.writes).encode()
        from_ids = set(op.get("from_ids", []))
        deadline = time.monotonic_ns() + op["timeout_ns"]
        pause = FIRST_POLL_NS
        attempt = 0
        while True:
            section, (header, payload) = self.locked(self.copy_message)
            record = event(op["id"], "wait_for", self.seq, attempt=attempt, **section)
            seen = self.observe(header, payload, record)
            if from_ids:
                arrived = seen is not None and header[0] in from_ids
            else:
                arrived = seen == wanted
            if arrived or section["t_released"] >= deadline:
                record["outcome"] = "ok" if arrived else "timeout"
                self.events.write(record)
                return
            record["outcome"] = "pending"
            self.events.write(record)
            sleep_ns(min(pause, deadline - section["t_released"]))
            pause = min(pause * 2, MAX_POLL_NS)
            attempt += 1

    def hold(self, op):
        section, _ = self.locked(lambda: wait_until_ns(time.monotonic_ns() + op["duration_ns"]))
        self.events.write(event(op["id"], "hold", self.seq, **section))

    def sleep(self, op):
        low = op["duration_ns"]
        high = max(op.get("max_duration_ns", low), low)
        start = time.monotonic_ns()
        sleep_ns(self.random.randint(low, high))
        self.events.write(event(op["id"], "sleep", self.seq, t_requested=start,
                                t_released=time.monotonic_ns()))

    def increment(self, op):
        m = self.mapping

        def body():
            value = m.get("<Q", H_COUNTER)
            m.put("<Q", H_COUNTER, (value + 1) & _M64)
            return value

        section, value = self.locked(body)
        # An increment's msg_writer_seq is the counter value it read (it wrote that + 1).
        self.events.write(event(op["id"], "increment", self.seq, **section, msg_writer_seq=value))


# --- The agent --------------------------------------------------------------------------------


def say(plan, text):
    name = plan["agent"]["name"] if plan else "?"
    print("python_agent %s: %s" % (name, text), file=sys.stderr, flush=True)


def die_with_harness():
    """PR_SET_PDEATHSIG: an agent must never outlive the run that owns its objects."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass  # not Linux: the check on IPCH_HARNESS_PID below still catches a dead harness


def harness_alive(pid):
    """Whether the controller that wrote the plan still runs. Not just getppid() == pid: a
    command may start this agent through a wrapper (a shell, env), which is then the parent."""
    if str(os.getppid()) == pid:
        return True
    try:
        os.kill(int(pid), 0)
    except PermissionError:
        return True
    except (OSError, ValueError):
        return False
    return True


def open_objects(plan, events):
    """Opens the mapping, then the lock (as ipc-agent does), recording the `open` event (op 0).
    Returns (mapping, lock), or None when the open failed."""
    record = event(0, "open", 0, t_requested=time.monotonic_ns())
    opened = None
    if plan["mapping"]["open"] == "create_or_open":
        record["flags"] = ["create_or_open"]
    try:
        mapping = Mapping(plan)
        lock = FileLock(plan) if plan["mutex"]["kind"] == "file_lock" else NoLock()
        opened = (mapping, lock)
        describe_open(record, mapping, lock)
    except OpenFailed as e:
        record.update(outcome="error", error=e.error or errno.EIO)
        say(plan, str(e))
    record["t_released"] = time.monotonic_ns()
    events.write(record)
    return opened


def describe_open(record, mapping, lock):
    """What the open found, as the create-open-race property reads it: who created what (flags)
    and which objects (inodes: the mapping's in msg_checksum, the lock file's in
    computed_checksum)."""
    flags = record.setdefault("flags", [])
    flags += [name for name, found in (("created", mapping.created),
                                       ("created_mutex", lock.created),
                                       ("not_zero", mapping.not_zero)) if found]
    if not flags:
        del record["flags"]
    record["msg_checksum"] = mapping.identity
    record["computed_checksum"] = lock.identity


def run_agent(plan, plan_dir):
    try:
        events = EventFile(os.path.join(plan_dir, plan["log"]["path"]))
        control = Control(plan["control"]["name"], plan["agent"]["index"])
    except (OSError, RuntimeError, ValueError) as e:  # ValueError: mmap of an empty object
        say(plan, str(e))
        return 3
    timeout = plan["control"]["start_timeout_ns"]
    phase = PHASE_EVERYONE if plan["mapping"]["open"] == "open_existing" else PHASE_CREATORS
    try:
        control.wait_until(OFF_OPEN_PHASE, phase, timeout)
    except Aborted:
        events.close("failed")
        say(plan, "aborted before opening")
        return 4
    opened = open_objects(plan, events)
    control.set_state(STATE_OPENED if opened else STATE_FAILED)
    if not opened:
        events.close("failed")
        return 1
    try:
        control.wait_until(OFF_GO, 1, timeout)
    except Aborted:
        events.close("failed")
        say(plan, "aborted at the start barrier")
        return 4
    control.set_state(STATE_RUNNING)
    executor = Executor(plan, opened[0], opened[1], events, control)
    try:
        executor.run(plan["ops"])
    except OSError as e:
        # A lock or unlock that fails leaves the lock in an unknown state: stop here.
        now = time.monotonic_ns()
        op = executor.current
        events.write(event(op["id"], op["op"], executor.seq, outcome="error",
                           error=e.errno or errno.EIO, t_requested=now, t_released=now))
        say(plan, "an op failed: %s" % e)
        events.close("failed")
        control.set_state(STATE_FAILED)
        return 1
    events.close("finished")
    control.set_state(STATE_DONE)
    return 0


def read_plan(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv):
    path = argv[-1] if len(argv) > 1 else os.environ.get("IPCH_PLAN")
    if not path or path == "--help":
        print("usage: python_agent.py PLAN.json (or IPCH_PLAN=PLAN.json)\n"
              "An ipc-harness agent in Python (docs/agent-protocol.md).", file=sys.stderr)
        return 2
    die_with_harness()
    try:
        plan = read_plan(path)
        problems = plan_problems(plan)
    except (OSError, ValueError, KeyError, TypeError) as e:
        say(None, "cannot read plan '%s': %s" % (path, e))
        return 2
    if problems:
        for problem in problems:
            say(plan, problem)
        return 2
    harness = os.environ.get("IPCH_HARNESS_PID")
    if harness is not None and not harness_alive(harness):
        say(plan, "the harness (pid %s) is gone" % harness)
        return 4
    return run_agent(plan, os.path.dirname(os.path.abspath(path)))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
