#!/usr/bin/env python3
"""An external agent that leaves out the lock-order stamp, which the protocol makes optional
(docs/agent-protocol.md): the Python example agent, every event of which loses its "stamp"
field as it is written. The harness must then judge mutual-exclusion and read-latest as a black
box, by linearizability."""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "agents", "python"))
import python_agent  # noqa: E402

_write = python_agent.EventFile.write


def write_unstamped(self, record):
    record.pop("stamp", None)
    _write(self, record)


python_agent.EventFile.write = write_unstamped

if __name__ == "__main__":
    sys.exit(python_agent.main(sys.argv))
