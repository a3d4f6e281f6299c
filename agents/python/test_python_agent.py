"""Unit tests of the Python agent's pieces: python3 -m unittest discover -s agents/python.

The agent's behaviour against a real harness and built-in agents is tested by
tests/unit/integration/external_agent_test.cpp; its checksum, owner token and templates are
compared with the C++ side by tests/unit/format/python_agent_test.cpp.
"""

import json
import os
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


if __name__ == "__main__":
    unittest.main()
