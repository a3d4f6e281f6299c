#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;

namespace {

// One attempt of a wait_for instance `seq`, polling at `at` ns.
Event attempt(std::uint64_t seq, std::uint32_t number, Outcome outcome, std::uint64_t at) {
    Event event(OpKind::wait_for, op_wait, seq);
    event.section(at / 100, at, at + 10).attempt(number).outcome(outcome);
    return event;
}

Event expecting_read(std::uint64_t seq, Outcome outcome) {
    Event event(OpKind::read, op_expect, seq);
    event.section(seq, 100 * seq, 100 * seq + 10).flag(event_flag::expect).outcome(outcome);
    return event;
}

} // namespace

TEST_CASE("delivery passes when every awaited message arrives", "[delivery]") {
    const History history = history_of({agent(1, "alice",
                                              {attempt(1, 0, Outcome::pending, 100).saw(0, 0, 0),
                                               attempt(1, 1, Outcome::pending, 200).saw(0, 0, 0),
                                               attempt(1, 2, Outcome::ok, 300).saw(2, 1, 7),
                                               expecting_read(2, Outcome::ok).saw(2, 1, 7)},
                                              labels()),
                                        agent(2, "bob", {})});
    const PropertyResult result = check_one(history, "delivery");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.checked == 2);
    CHECK(result.detail == "2 awaited messages, all delivered");
}

TEST_CASE("delivery fails on a wait_for that timed out", "[delivery]") {
    const History history =
        history_of({agent(1, "alice",
                          {attempt(1, 0, Outcome::pending, 1'000'000'000).saw(2, 1, 7),
                           attempt(1, 1, Outcome::pending, 3'000'000'000).saw(2, 2, 14),
                           attempt(1, 2, Outcome::timeout, 6'000'000'000)},
                          labels()),
                    agent(2, "bob", {})});
    const PropertyResult result = check_one(history, "delivery");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 undelivered message among 1 awaited");
    REQUIRE(result.evidence.size() == 1);
    const Evidence& evidence = result.evidence[0];
    CHECK(evidence.summary ==
          "alice's 'wait_for \"hello\" 5s' timed out after 5.000 s and 3 attempts; the last "
          "message it saw was message #2 of bob (5 bytes)");
    // The final attempt, then the last one that observed something.
    REQUIRE(evidence.events.size() == 2);
    CHECK(evidence.events[0].index == 2);
    CHECK(evidence.events[0].event.outcome == Outcome::timeout);
    CHECK(evidence.events[1].index == 1);
    CHECK(evidence.events[1].event.msg_writer_seq == 2);
}

TEST_CASE("delivery fails on a read that saw another text", "[delivery]") {
    const History history = history_of(
        {agent(1, "alice", {expecting_read(1, Outcome::mismatch).saw(2, 3, 21)}, labels()),
         agent(2, "bob", {})});
    const PropertyResult result = check_one(history, "delivery");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary == "alice's 'read expect \"hello\"' saw message #3 of bob "
                                        "(5 bytes), not the text it expected");
    CHECK(result.evidence[0].events.at(0).event.outcome == Outcome::mismatch);
}

TEST_CASE("delivery does not judge a wait in flight when its agent died", "[delivery]") {
    const std::vector<EventRecord> events = {attempt(1, 0, Outcome::ok, 100),
                                             attempt(2, 0, Outcome::pending, 200)};
    const PropertyResult crashed = check_one(
        history_of({ended(agent(1, "alice", events, labels()), AgentEnd::killed_at_timeout, 9)}),
        "delivery");
    CHECK(crashed.verdict == Verdict::pass);
    CHECK(crashed.checked == 1);
    CHECK(crashed.detail ==
          "1 awaited message, all delivered (1 wait in flight when an agent stopped, not judged)");

    SECTION("but an agent that finished must have finished its waits") {
        const PropertyResult result =
            check_one(history_of({agent(1, "alice", events, labels())}), "delivery");
        CHECK(result.verdict == Verdict::fail);
        CHECK(result.violations == 1);
        REQUIRE(result.evidence.size() == 1);
        CHECK(result.evidence[0].summary ==
              "alice's 'wait_for \"hello\" 5s' never finished: its last attempt (1 in all) was "
              "still pending when the agent stopped");
    }
}

TEST_CASE("delivery is not applicable without awaited messages", "[delivery]") {
    Event plain(OpKind::read, op_read, 1);
    plain.section(1, 100, 200).saw(0, 0, 0);
    const PropertyResult result = check_one(history_of({agent(1, "alice", {plain})}), "delivery");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "no wait_for and no read with an expected text");
}

TEST_CASE("delivery does not judge ops skipped because their lock was not acquired", "[delivery]") {
    // Inside a try_lock section that found the lock busy: the read with an expected text and the
    // wait_for never ran.
    Event busy(OpKind::try_lock, op_try_lock, 1);
    busy.outcome(Outcome::busy);
    Event skipped_read(OpKind::read, op_expect, 2);
    skipped_read.flag(event_flag::expect).outcome(Outcome::skipped);
    Event skipped_wait(OpKind::wait_for, op_wait, 3);
    skipped_wait.outcome(Outcome::skipped);
    const History history = history_of({agent(
        1, "alice", {busy, skipped_read, skipped_wait, expecting_read(4, Outcome::ok)}, labels())});
    const PropertyResult result = check_one(history, "delivery");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 1);

    SECTION("but one that ran and missed its text fails") {
        const History missed = history_of({agent(
            1, "alice", {busy, skipped_read, expecting_read(4, Outcome::mismatch)}, labels())});
        CHECK(check_one(missed, "delivery").violations == 1);
    }
}

namespace {

// An `expect: any-valid` read at `stamp` that saw bob's message #1 torn: half written.
Event torn_any_valid_read(std::uint64_t seq, std::uint64_t stamp) {
    Event event(OpKind::read, op_expect, seq);
    event.section(stamp, stamp * 100, stamp * 100 + 10)
        .flag(event_flag::expect | event_flag::any_valid | event_flag::torn)
        .saw(2, 1, 0xabc)
        .computed(0x123)
        .outcome(Outcome::mismatch);
    return event;
}

Event alice_writes(std::uint64_t seq, std::uint64_t stamp, std::uint64_t writer_seq) {
    Event event(OpKind::write, op_write, seq);
    event.section(stamp, stamp * 100, stamp * 100 + 50).wrote(1, writer_seq, 0xabc);
    return event;
}

} // namespace

TEST_CASE("delivery does not judge a read of the message a crash left half-written", "[delivery]") {
    // bob crashed mid-write holding the lock at stamp 2; alice writes again at stamp 4.
    Event crash(OpKind::crash, op_crash_mid_write, 1);
    crash.unreleased(2, 200);
    const AgentHistory bob = ended(agent(2, "bob", {crash}, labels()), AgentEnd::crashed, 9);
    const AgentHistory alice =
        agent(1, "alice", {alice_writes(1, 1, 1), alice_writes(2, 4, 2)}, labels());

    const History before_next_write =
        history_of({alice, bob, agent(3, "carol", {torn_any_valid_read(1, 3)}, labels())});
    const PropertyResult crashed = check_one(before_next_write, "delivery");
    CHECK(crashed.verdict == Verdict::not_applicable);
    CHECK(crashed.violations == 0);

    // After alice's next write a torn read is no crash's doing: judged, and failed.
    const History after_next_write =
        history_of({alice, bob, agent(3, "carol", {torn_any_valid_read(1, 5)}, labels())});
    const PropertyResult judged = check_one(after_next_write, "delivery");
    CHECK(judged.verdict == Verdict::fail);
    CHECK(judged.violations == 1);
}
