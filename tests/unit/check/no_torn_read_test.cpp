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
