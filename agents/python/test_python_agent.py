"""Unit tests of the Python agent's pieces: python3 -m unittest discover -s agents/python.

The agent's behaviour against a real harness and built-in agents is tested by
tests/unit/integration/external_agent_test.cpp; its checksum, owner token and templates are
compared with the C++ side by tests/unit/format/python_agent_test.cpp.
"""

import json
import mmap
import os
import struct
import tempfile
import unittest

import python_agent as agent


class Xxh64Test(unittest.TestCase):
    # Published vectors (xxHash's and python-xxhash's documentation).
    def test_known_vectors_seed_0(self):
        self.assertEqual(agent.xxh64(b""), 0xEF46DB3751D8E999)
        self.assertEqual(agent.xxh64(b"a"), 0xD24EC4F1A98C6E5B)
        self.assertEqual(agent.xxh64(b"abc"), 0x44BC2CF5AD770999)
        self.assertEqual(agent.xxh64(b"xxhash"), 0x32DD38952C4BC720)
        self.assertEqual(agent.xxh64(b"Nobody inspects the spammish repetition"),
                         0xFBCEA83C8A378BF1)

    def test_known_vector_with_a_seed(self):
        self.assertEqual(agent.xxh64(b"xxhash", 20141025), 0xB559B98D844E0635)

    def test_long_input_uses_the_four_lane_loop(self):
        # 42 bytes: one 32-byte stripe, one 8-byte lane, two single bytes (libxxhash's value).
        self.assertEqual(agent.xxh64(b"0123456789abcdef0123456789abcdef0123456789"),
                         0xA76190C3ACF08A1C)

    def test_accepts_any_bytes_like(self):
        self.assertEqual(agent.xxh64(bytearray(b"abc")), agent.xxh64(memoryview(b"abc")))


def plan(**changes):
    p = {
        "format": "ipch-agent-plan",
        "version": 2,
        "run_id": "0027f9b3c1a0e",
        "agent": {"id": 3, "name": "py-2", "group": "py", "role": "", "index": 2, "seed": 7},
        "mapping": {"kind": "shm", "name": "m", "size": 256, "lock_bytes": 0,
                    "open": "create_or_open"},
        "mutex": {"kind": "file_lock", "name": "l"},
        "permissions": 384,
        "control": {"name": "c", "agent_count": 3, "start_timeout_ns": 1},
        "barriers": [],
        "log": {"path": "py-2.events.jsonl", "capacity": 3, "format": "jsonl"},
        "ops": [{"id": 1, "op": "repeat", "count": 2,
                 "ops": [{"id": 2, "op": "write", "text": "x"}, {"id": 3, "op": "read"}]}],
    }
    p.update(changes)
    return p


class TemplateTest(unittest.TestCase):
    def test_every_key(self):
        self.assertEqual(agent.expand_template("{agent}/{group}/{id}/{seq}/{run}", plan(), 5),
                         "py-2/py/3/5/0027f9b3c1a0e")

    def test_unknown_and_unclosed_braces_stay(self):
        self.assertEqual(agent.expand_template("{nope} {seq", plan(), 1), "{nope} {seq")


class OwnerTokenTest(unittest.TestCase):
    def test_salt_above_agent_id(self):
        token = agent.owner_token("0027f9b3c1a0e", 3)
        self.assertEqual(token & 0xFFFF, 3)
        self.assertNotEqual(token >> 16, 0)

    def test_other_run_other_salt(self):
        self.assertNotEqual(agent.owner_token("a", 1) >> 16, agent.owner_token("b", 1) >> 16)


class PlanProblemsTest(unittest.TestCase):
    def test_a_plan_it_can_run(self):
        self.assertEqual(agent.plan_problems(plan()), [])

    def test_mutex_kinds_it_cannot_take(self):
        problems = agent.plan_problems(plan(mutex={"kind": "named_mutex", "name": "l"}))
        self.assertEqual(len(problems), 1)
        self.assertIn("mutex kind 'named_mutex' is not supported", problems[0])

    def test_ops_it_cannot_run_even_nested(self):
        ops = [{"id": 1, "op": "repeat", "count": 1,
                "ops": [{"id": 2, "op": "barrier", "barrier": 0}]},
               {"id": 3, "op": "write", "size": 10, "pattern": "ab"}]
        problems = agent.plan_problems(plan(ops=ops))
        self.assertEqual(len(problems), 2)
        self.assertIn("op #2 'barrier' is not supported", problems[0])
        self.assertIn("op #3: write {size, pattern}", problems[1])

    def test_wrong_version_or_log_format(self):
        self.assertIn("version 1", agent.plan_problems(plan(version=1))[0])
        log = {"path": "x.events", "capacity": 1}
        self.assertIn("'binary' event log", agent.plan_problems(plan(log=log))[0])


class EventFileTest(unittest.TestCase):
    def test_one_json_object_per_line_then_the_status(self):
        with tempfile.TemporaryDirectory() as folder:
            path = os.path.join(folder, "a.events.jsonl")
            events = agent.EventFile(path)
            events.write(agent.event(2, "write", 1, flags=["critical_section", "written"],
                                     msg_checksum=agent.xxh64(b"x")))
            events.close("finished")
            with open(path, encoding="utf-8") as f:
                lines = [json.loads(line) for line in f.read().splitlines()]
        self.assertEqual(lines[0]["op_id"], 2)
        self.assertEqual(lines[0]["outcome"], "ok")
        self.assertEqual(lines[0]["msg_checksum"], agent.xxh64(b"x"))  # exact, past 2^53
        self.assertEqual(lines[1], {"status": "finished"})


class FakeControl:
    def __init__(self):
        self.ops = []

    def set_op(self, op_id):
        self.ops.append(op_id)


class MemoryEvents:
    def __init__(self):
        self.records = []

    def write(self, record):
        # What EventFile writes: the record must survive JSON as it is.
        self.records.append(json.loads(json.dumps(record)))


def anonymous_mapping(size=256):
    """A Mapping over anonymous memory: the layout without a /dev/shm object."""
    m = agent.Mapping.__new__(agent.Mapping)
    m.mm = mmap.mmap(-1, size)
    m.header, m.payload, m.capacity = agent.mapping_layout(size, 0)
    return m


class ExecutorTest(unittest.TestCase):
    """The ops against a mapping in memory, with no lock: what they leave in the mapping and
    what they record."""

    def run_ops(self, ops, mapping=None):
        self.mapping = mapping or anonymous_mapping()
        self.events = MemoryEvents()
        self.control = FakeControl()
        executor = agent.Executor(plan(), self.mapping, agent.NoLock(), self.events, self.control)
        executor.run(ops)
        return self.events.records

    def test_write_then_read_expect(self):
        events = self.run_ops([{"id": 1, "op": "write", "text": "hi {agent} {seq}"},
                               {"id": 2, "op": "read", "expect": "hi py-2 1"},
                               {"id": 3, "op": "read", "expect": "something else"}])
        write, good, bad = events
        payload = b"hi py-2 1"
        self.assertEqual(write["flags"], ["critical_section", "written"])
        self.assertEqual((write["msg_writer"], write["msg_length"], write["msg_writer_seq"]),
                         (3, len(payload), 1))
        self.assertEqual(write["msg_checksum"], agent.xxh64(payload))
        self.assertEqual([e["stamp"] for e in events], [1, 2, 3])
        self.assertEqual(good["outcome"], "ok")
        self.assertEqual(good["computed_checksum"], agent.xxh64(payload))
        self.assertEqual(good["flags"], ["critical_section", "observed", "expect"])
        self.assertEqual(bad["outcome"], "mismatch")
        # The mapping as a built-in agent will find it: header, then payload; owner cleared.
        stamp, owner, _, counter, writer, length, seq, checksum = struct.unpack_from(
            "<QIIQIIQQ", self.mapping.mm, 0)
        self.assertEqual((stamp, owner, counter, writer, length, seq),
                         (3, 0, 0, 3, len(payload), 1))
        self.assertEqual(checksum, agent.xxh64(payload))
        self.assertEqual(self.mapping.mm[48:48 + len(payload)], payload)
        self.assertEqual(self.control.ops, [1, 2, 3])
        self.assertEqual([e["seq"] for e in events], [1, 2, 3])

    def test_a_torn_message_is_flagged(self):
        m = anonymous_mapping()
        struct.pack_into("<IIQQ", m.mm, 24, 9, 4, 1, 12345)  # a header whose checksum is wrong
        m.mm[48:52] = b"abcd"
        (read,) = self.run_ops([{"id": 1, "op": "read", "expect_any_valid": True}], m)
        self.assertIn("torn", read["flags"])
        self.assertIn("any_valid", read["flags"])
        self.assertEqual(read["outcome"], "mismatch")
        self.assertEqual(read["computed_checksum"], agent.xxh64(b"abcd"))

    def test_the_empty_mapping_is_a_valid_read(self):
        (read,) = self.run_ops([{"id": 1, "op": "read", "expect_any_valid": True}])
        self.assertEqual(read["outcome"], "ok")
        self.assertNotIn("torn", read["flags"])

    def test_a_write_larger_than_the_mapping_is_refused(self):
        (write,) = self.run_ops([{"id": 1, "op": "write", "text": "x" * 300}])
        self.assertEqual((write["outcome"], write["error"], write["msg_length"]),
                         ("error", agent.TOO_LARGE, 300))
        self.assertEqual(struct.unpack_from("<Q", self.mapping.mm, 0)[0], 0)  # no stamp taken

    def test_a_write_of_the_whole_capacity_stops_at_the_guard(self):
        m = anonymous_mapping(100)
        self.assertEqual(m.capacity, 44)  # 100 - 48 of header - 8 of guard
        write, too_large = self.run_ops([{"id": 1, "op": "write", "text": "y" * 44},
                                         {"id": 2, "op": "write", "text": "y" * 45}], m)
        self.assertEqual(write["outcome"], "ok")
        self.assertEqual(m.mm[48:92], b"y" * 44)
        self.assertEqual(m.mm[92:100], bytes(8))  # the guard: never written
        self.assertEqual((too_large["outcome"], too_large["error"]), ("error", agent.TOO_LARGE))

    def test_increments_count_in_the_mapping(self):
        events = self.run_ops([{"id": 1, "op": "repeat", "count": 3,
                                "ops": [{"id": 2, "op": "increment"}]}])
        self.assertEqual([e["msg_writer_seq"] for e in events], [0, 1, 2])  # the values read
        self.assertEqual(struct.unpack_from("<Q", self.mapping.mm, 16)[0], 3)

    def test_owner_word_of_this_run_is_busy_and_a_changed_one_is_seen(self):
        m = anonymous_mapping()
        other = agent.owner_token(plan()["run_id"], 1)
        struct.pack_into("<I", m.mm, 8, other)
        (hold,) = self.run_ops([{"id": 1, "op": "hold", "duration_ns": 0}], m)
        self.assertEqual(hold["owner_seen"], other)
        self.assertEqual(hold["flags"], ["critical_section", "owner_busy"])

    def test_wait_for_polls_until_its_text_or_times_out(self):
        events = self.run_ops([{"id": 1, "op": "write", "text": "ready"},
                               {"id": 2, "op": "wait_for", "text": "ready", "timeout_ns": 10**9},
                               {"id": 3, "op": "wait_for", "from_ids": [3], "timeout_ns": 10**9},
                               {"id": 4, "op": "wait_for", "text": "never",
                                "timeout_ns": 5_000_000}])
        self.assertEqual([e["outcome"] for e in events[1:3]], ["ok", "ok"])
        never = events[3:]
        self.assertGreater(len(never), 1)
        self.assertEqual({e["outcome"] for e in never[:-1]}, {"pending"})
        self.assertEqual(never[-1]["outcome"], "timeout")
        self.assertEqual([e["attempt"] for e in never], list(range(len(never))))
        self.assertEqual({e["seq"] for e in never}, {4})

    def test_hold_and_sleep_take_their_time(self):
        hold, sleep = self.run_ops([{"id": 1, "op": "hold", "duration_ns": 2_000_000},
                                    {"id": 2, "op": "sleep", "duration_ns": 1_000_000,
                                     "max_duration_ns": 3_000_000}])
        self.assertGreaterEqual(hold["t_released"] - hold["t_acquired"], 2_000_000)
        self.assertGreaterEqual(sleep["t_released"] - sleep["t_requested"], 1_000_000)
        self.assertNotIn("flags", sleep)  # outside the lock

    def test_repeat_for_a_duration(self):
        events = self.run_ops([{"id": 1, "op": "repeat", "duration_ns": 50_000_000,
                                "ops": [{"id": 2, "op": "sleep", "duration_ns": 100_000}]}])
        self.assertGreater(len(events), 1)  # a loaded machine may oversleep, but not 50 ms


class LayoutTest(unittest.TestCase):
    def test_header_payload_then_the_tail_guard(self):
        self.assertEqual(agent.mapping_layout(100, 0), (0, 48, 44))
        self.assertEqual(agent.mapping_layout(300, 128), (128, 176, 116))
        self.assertEqual(agent.mapping_layout(300, 3), (8, 56, 236))  # lock area rounded to 8
        self.assertEqual(agent.mapping_layout(57, 0), (0, 48, 1))
        self.assertIsNone(agent.mapping_layout(56, 0))
        self.assertIsNone(agent.mapping_layout(184, 128))

    def test_not_zero_is_content_before_any_critical_section(self):
        m = anonymous_mapping()
        self.assertFalse(m.found_not_zero())
        m.mm[255] = 1  # the guard
        self.assertTrue(m.found_not_zero())
        m.mm[255] = 0
        m.mm[60] = 1  # the payload
        self.assertTrue(m.found_not_zero())
        struct.pack_into("<Q", m.mm, 0, 1)  # a critical section ran: its writes are no proof
        self.assertFalse(m.found_not_zero())


class OpenEventTest(unittest.TestCase):
    """The open event's flags and identities, over real objects in /dev/shm."""

    def setUp(self):
        self.names = ["pyagent-test-%d-map" % os.getpid(), "pyagent-test-%d-mtx" % os.getpid()]

    def tearDown(self):
        for name in self.names:
            try:
                os.unlink("/dev/shm/" + name)
            except FileNotFoundError:
                pass

    def open_event(self, mode):
        p = plan(mapping={"kind": "shm", "name": self.names[0], "size": 256, "lock_bytes": 0,
                          "open": mode},
                 mutex={"kind": "file_lock", "name": self.names[1]})
        events = MemoryEvents()
        opened = agent.open_objects(p, events)
        self.assertIsNotNone(opened)
        os.close(opened[1].fd)
        (record,) = events.records
        return record

    def test_the_creator_then_an_opener_of_the_same_objects(self):
        first = self.open_event("create_or_open")
        second = self.open_event("create_or_open")
        third = self.open_event("open_existing")
        self.assertEqual(first["flags"], ["create_or_open", "created", "created_mutex"])
        self.assertEqual(second["flags"], ["create_or_open"])
        self.assertNotIn("flags", third)
        inodes = (os.stat("/dev/shm/" + self.names[0]).st_ino,
                  os.stat("/dev/shm/" + self.names[1]).st_ino)
        for record in (first, second, third):
            self.assertEqual((record["msg_checksum"], record["computed_checksum"]), inodes)


if __name__ == "__main__":
    unittest.main()
