#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;

namespace {

Event read_of(std::uint64_t seq, std::uint64_t stamp) {
    Event event(OpKind::read, op_read, seq);
    event.section(stamp, stamp * 100, stamp * 100 + 50);
    return event;
}

} // namespace

TEST_CASE("no-torn-read passes when every read is whole", "[no-torn-read]") {
    const History history = history_of({agent(
        1, "alice", {read_of(1, 1).saw(0, 0, 0), read_of(2, 2).saw(2, 1, 0xabc)}, labels())});
    const PropertyResult result = check_one(history, "no-torn-read");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.checked == 2);
    CHECK(result.detail == "2 reads, every message whole");
}

TEST_CASE("no-torn-read fails on a length beyond the capacity", "[no-torn-read]") {
    const History history =
        history_of({agent(1, "alice",
                          {read_of(1, 1).saw(2, 1, 0xabc),
                           read_of(2, 2).length(200).saw(2, 2, 0xdef).flag(event_flag::torn)},
                          labels()),
                    agent(2, "bob", {})},
                   100);
    const PropertyResult result = check_one(history, "no-torn-read");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.checked == 2);
    CHECK(result.detail == "1 torn read among 2 reads");
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "alice's 'read' saw a torn message: its header claims 200 bytes, more than the "
          "mapping's capacity of 100 (header checksum 0x0000000000000def)");
    REQUIRE(result.evidence[0].events.size() == 1);
    CHECK(result.evidence[0].events[0].index == 1);
    CHECK(result.evidence[0].events[0].event.msg_length == 200);
}

TEST_CASE("no-torn-read fails on a checksum that does not match", "[no-torn-read]") {
    const History history = history_of(
        {agent(1, "alice", {read_of(1, 1).saw(2, 3, 0xabc).computed(0x123).flag(event_flag::torn)},
               labels()),
         agent(2, "bob", {})},
        100);
    const PropertyResult result = check_one(history, "no-torn-read");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "alice's 'read' saw a torn message: message #3 of bob (5 bytes), within the capacity "
          "of 100 bytes, but its header checksum 0x0000000000000abc differs from the payload's "
          "0x0000000000000123");
}

TEST_CASE("no-torn-read is not applicable without reads", "[no-torn-read]") {
    Event write(OpKind::write, op_write, 1);
    write.section(1, 100, 200).wrote(1, 1, 0xabc);
    const PropertyResult result =
        check_one(history_of({agent(1, "alice", {write})}), "no-torn-read");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "no reads");
}

namespace {

Event write_at(std::uint64_t seq, std::uint64_t stamp, std::uint32_t writer,
               std::uint64_t writer_seq) {
    Event event(OpKind::write, op_write, seq);
    event.section(stamp, stamp * 100, stamp * 100 + 50).wrote(writer, writer_seq, 0xabc);
    return event;
}

// A read at `stamp` of bob's message #1, torn: the header is whole, half the payload is not.
Event torn_of_bob(std::uint64_t seq, std::uint64_t stamp) {
    return read_of(seq, stamp).saw(2, 1, 0xabc).computed(0x123).flag(event_flag::torn);
}

// bob crashed in the middle of writing his message #1, holding the lock at stamp 2.
AgentHistory bob_crashed_mid_write() {
    Event crash(OpKind::crash, op_crash_mid_write, 1);
    crash.unreleased(2, 200);
    AgentHistory bob = ended(agent(2, "bob", {crash}, labels()), AgentEnd::crashed, 9);
    bob.expected_crash = true;
    return bob;
}

} // namespace

TEST_CASE("no-torn-read does not judge the torn message a crash mid-write left", "[no-torn-read]") {
    // carol reads bob's half-written message (stamp 3) until alice writes again (stamp 4).
    const History history = history_of(
        {agent(1, "alice", {write_at(1, 1, 1, 1), write_at(2, 4, 1, 2)}, labels()),
         bob_crashed_mid_write(),
         agent(3, "carol", {torn_of_bob(1, 3), read_of(2, 5).saw(1, 2, 0xabc)}, labels())});
    const PropertyResult result = check_one(history, "no-torn-read");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 1);
    CHECK(result.detail ==
          "1 read, every message whole (1 torn read of a write a crash cut short, not judged)");

    SECTION("but one after the next write is torn by something else") {
        const History later = history_of({history.agents[0], bob_crashed_mid_write(),
                                          agent(3, "carol", {torn_of_bob(1, 5)}, labels())});
        const PropertyResult failed = check_one(later, "no-torn-read");
        CHECK(failed.verdict == Verdict::fail);
        CHECK(failed.violations == 1);
        CHECK(failed.detail == "1 torn read among 1 read");
    }
    SECTION("and so is one of a message bob had committed") {
        AgentHistory bob = bob_crashed_mid_write();
        std::vector<EventRecord> events{write_at(1, 1, 2, 1), bob.events[0]};
        const History committed =
            history_of({agent(1, "alice", {}, labels()),
                        ended(agent(2, "bob", events, labels()), AgentEnd::crashed, 9),
                        agent(3, "carol", {torn_of_bob(1, 3)}, labels())});
        CHECK(check_one(committed, "no-torn-read").violations == 1);
    }
    SECTION("and so is one before the crash") {
        const History before = history_of({history.agents[0], bob_crashed_mid_write(),
                                           agent(3, "carol", {torn_of_bob(1, 1)}, labels())});
        CHECK(check_one(before, "no-torn-read").violations == 1);
    }
    SECTION("and so is one after a write earlier in the reader's own section") {
        Event write(OpKind::write, op_write, 1);
        write.in_section(3, 300).wrote(3, 1, 0xabc);
        EventRecord read = torn_of_bob(2, 3);
        read.flags = (read.flags & ~event_flag::critical_section) | event_flag::in_section;
        Event unlock(OpKind::unlock, op_unlock, 3);
        unlock.section(3, 300, 350);
        const History own = history_of({history.agents[0], bob_crashed_mid_write(),
                                        agent(3, "carol", {write, read, unlock}, labels())});
        CHECK(check_one(own, "no-torn-read").violations == 1);
        // The same read first in the section is the crash's.
        const History first = history_of({history.agents[0], bob_crashed_mid_write(),
                                          agent(3, "carol", {read, write, unlock}, labels())});
        CHECK(check_one(first, "no-torn-read").violations == 0);
    }
    SECTION("only such reads leave nothing to judge") {
        const History only = history_of({agent(1, "alice", {}, labels()), bob_crashed_mid_write(),
                                         agent(3, "carol", {torn_of_bob(1, 3)}, labels())});
        const PropertyResult result_only = check_one(only, "no-torn-read");
        CHECK(result_only.verdict == Verdict::not_applicable);
        CHECK(result_only.detail == "only 1 torn read of a write a crash cut short, not judged");
    }
}
