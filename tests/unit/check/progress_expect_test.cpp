// progress and what a scenario expects: crashes and errors it expects are no failures; outcomes
// that are results (busy, skipped, a timed_lock's timeout) never were.
#include "history_builder.hpp"

#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>

using namespace ipch;
using namespace ipch::test;

namespace {

Event open_failed(std::int32_t error) {
    return Event(OpKind::open, 0, 0).error(error);
}

Event write(std::uint64_t seq) {
    Event event(OpKind::write, op_write, seq);
    event.section(seq, 100 * seq, 100 * seq + 10).wrote(1, seq, 7);
    return event;
}

// The agent that opens before its first op, fails, and exits 1 (ipc-agent's own behaviour).
AgentHistory stopped_at_open(std::uint32_t id, const char* name, std::int32_t error) {
    AgentHistory late = agent(id, name, {open_failed(error)}, labels());
    late.end = AgentEnd::error_exit;
    late.exit_code = 1;
    return late;
}

} // namespace

TEST_CASE("progress accepts an agent stopped by an error the scenario expects", "[progress]") {
    AgentHistory late = stopped_at_open(2, "late", ENOENT);
    late.expected_errors.push_back({OpKind::open, "not found"});
    const PropertyResult result =
        check_one(history_of({agent(1, "alice", {write(1)}, labels()), late}), "progress");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.detail == "1 agent finished, 1 stopped on an expected error, no op failed "
                           "unexpectedly (1 expected error)");
}

TEST_CASE("progress still fails on an error the scenario expects of another op or code",
          "[progress]") {
    SECTION("another error") {
        AgentHistory late = stopped_at_open(1, "late", EACCES);
        late.expected_errors.push_back({OpKind::open, "not found"});
        const PropertyResult result = check_one(history_of({late}), "progress");
        CHECK(result.verdict == Verdict::fail);
        CHECK(result.detail == "1 of 1 agent did not finish, 1 failed op");
    }
    SECTION("another op") {
        AgentHistory late = stopped_at_open(1, "late", ENOENT);
        late.expected_errors.push_back({OpKind::write, "not found"});
        CHECK(check_one(history_of({late}), "progress").verdict == Verdict::fail);
    }
    SECTION("nothing expected") {
        CHECK(check_one(history_of({stopped_at_open(1, "late", ENOENT)}), "progress").verdict ==
              Verdict::fail);
    }
}

TEST_CASE("an expected error that does not stop the agent is no failure either", "[progress]") {
    AgentHistory alice =
        agent(1, "alice", {write(1), write(2).error(event_error::too_large), write(3)}, labels());
    alice.expected_errors.push_back({OpKind::write, "too large"});
    const PropertyResult result = check_one(history_of({alice}), "progress");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail == "1 agent finished, no op failed unexpectedly (1 expected error)");

    // Both errno values "permission denied" stands for.
    for (const std::int32_t code : {EACCES, EPERM}) {
        AgentHistory bob = agent(1, "bob", {write(1).error(code)}, labels());
        bob.expected_errors.push_back({OpKind::write, "permission denied"});
        CHECK(check_one(history_of({bob}), "progress").verdict == Verdict::pass);
    }
}

TEST_CASE("an agent that stopped on an unexpected error after an expected one still fails",
          "[progress]") {
    AgentHistory alice = agent(
        1, "alice", {write(1).error(event_error::too_large), write(2).error(ENOENT)}, labels());
    alice.end = AgentEnd::error_exit;
    alice.exit_code = 1;
    alice.expected_errors.push_back({OpKind::write, "too large"});
    const PropertyResult result = check_one(history_of({alice}), "progress");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 2); // its end and its unexpected error
}

TEST_CASE("busy, skipped and a timed_lock's timeout are results, not failures", "[progress]") {
    const History history =
        history_of({agent(1, "alice",
                          {Event(OpKind::try_lock, 1, 1).outcome(Outcome::busy),
                           Event(OpKind::write, 2, 2).outcome(Outcome::skipped),
                           Event(OpKind::timed_lock, 3, 3).outcome(Outcome::timeout),
                           Event(OpKind::wait_for, 4, 4).outcome(Outcome::timeout)},
                          labels())});
    const PropertyResult result = check_one(history, "progress");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail == "1 agent finished, no op failed");
    // A wait_for that gave up is a failure, of delivery's.
    CHECK(check_one(history, "delivery").verdict == Verdict::fail);
}

TEST_CASE("an agent killed by its own crash op crashed as expected", "[progress]") {
    const AgentHistory crasher =
        ended(agent(1, "victim", {write(1), Event(OpKind::crash, 2, 2)}, labels()),
              AgentEnd::crashed, SIGKILL);
    const PropertyResult result = check_one(history_of({crasher}), "progress");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail == "0 agents finished, 1 crashed as expected, no op failed");

    // Another signal, or a crash before its crash op, is not its own doing.
    const AgentHistory segfault =
        ended(agent(1, "victim", {write(1), Event(OpKind::crash, 2, 2)}, labels()),
              AgentEnd::crashed, SIGSEGV);
    CHECK(check_one(history_of({segfault}), "progress").verdict == Verdict::fail);
    const AgentHistory early =
        ended(agent(1, "victim", {write(1)}, labels()), AgentEnd::crashed, SIGKILL);
    CHECK(check_one(history_of({early}), "progress").verdict == Verdict::fail);
}
