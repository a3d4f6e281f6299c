#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;

namespace {

Event read_of(std::uint64_t seq, std::uint32_t writer, std::uint64_t writer_seq) {
    Event event(OpKind::read, op_read, seq);
    event.section(seq, seq * 100, seq * 100 + 50).saw(writer, writer_seq, writer_seq * 7);
    return event;
}

} // namespace

TEST_CASE("writer-order passes when each writer's sequence only grows", "[writer-order]") {
    const History history = history_of(
        {agent(1, "alice", {}), agent(2, "bob", {}),
         agent(3, "carol",
               {read_of(1, 1, 1), read_of(2, 1, 2), read_of(3, 2, 1), read_of(4, 1, 2),
                read_of(5, 1, 3), read_of(6, 0, 0)},
               labels()),
         // Readers are independent: dave may see an older message than carol already did.
         agent(4, "dave", {read_of(1, 1, 1)}, labels())});
    const PropertyResult result = check_one(history, "writer-order");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.checked == 6); // the empty mapping names no writer
    CHECK(result.detail == "6 reads, no writer's sequence went backwards");
}

TEST_CASE("writer-order fails when a reader sees a writer go backwards", "[writer-order]") {
    const History history = history_of(
        {agent(1, "alice", {}), agent(2, "bob", {}),
         agent(3, "carol", {read_of(1, 1, 2), read_of(2, 2, 5), read_of(3, 1, 1), read_of(4, 2, 5)},
               labels())});
    const PropertyResult result = check_one(history, "writer-order");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 backward step among 4 reads");
    REQUIRE(result.evidence.size() == 1);
    const Evidence& evidence = result.evidence[0];
    CHECK(evidence.summary ==
          "carol's 'read' saw message #1 of alice (5 bytes) after carol's 'read' had seen "
          "message #2 of alice (5 bytes): alice's sequence went backwards");
    REQUIRE(evidence.events.size() == 2);
    CHECK(evidence.events[0].index == 0);
    CHECK(evidence.events[0].event.msg_writer_seq == 2);
    CHECK(evidence.events[1].index == 2);
    CHECK(evidence.events[1].event.msg_writer_seq == 1);
}

TEST_CASE("writer-order follows writers from outside the run too", "[writer-order]") {
    const History history =
        history_of({agent(1, "carol", {read_of(1, 42, 7), read_of(2, 42, 6)}, labels())});
    const PropertyResult result = check_one(history, "writer-order");
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "carol's 'read' saw message #6 of agent #42 (5 bytes) after carol's 'read' had seen "
          "message #7 of agent #42 (5 bytes): agent #42's sequence went backwards");
}

TEST_CASE("writer-order is not applicable without reads of a message", "[writer-order]") {
    const History history = history_of({agent(1, "carol", {read_of(1, 0, 0)})});
    const PropertyResult result = check_one(history, "writer-order");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "no reads of any writer's message");
}

TEST_CASE("writer-order follows the reader's own order inside an explicit section",
          "[writer-order]") {
    // carol's two reads share her section's stamp; the second recorded an earlier time. Her own
    // order says bob went from #2 back to #1.
    Event first(OpKind::read, op_read, 2);
    first.in_section(1, 150).saw(2, 2, 14);
    Event second(OpKind::read, op_read, 3);
    second.in_section(1, 120).saw(2, 1, 7);
    const History history = history_of(
        {agent(1, "alice", {}), agent(2, "bob", {}), agent(3, "carol", {first, second}, labels())});
    const PropertyResult result = check_one(history, "writer-order");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].events.at(0).index == 0);
    CHECK(result.evidence[0].events.at(1).index == 1);

    SECTION("and passes the same reads the other way round") {
        const History forward = history_of({agent(1, "alice", {}), agent(2, "bob", {}),
                                            agent(3, "carol", {second, first}, labels())});
        CHECK(check_one(forward, "writer-order").verdict == Verdict::pass);
    }
}
