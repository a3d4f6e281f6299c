#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;
using Catch::Matchers::Contains;

namespace {

Event write(std::uint64_t seq, std::uint64_t stamp, std::uint32_t writer,
            std::uint64_t writer_seq) {
    Event event(OpKind::write, op_write, seq);
    event.section(stamp, stamp * 100, stamp * 100 + 50).wrote(writer, writer_seq, writer_seq * 7);
    return event;
}

Event read_of(std::uint64_t seq, std::uint64_t stamp, std::uint32_t writer,
              std::uint64_t writer_seq) {
    Event event(OpKind::read, op_read, seq);
    event.section(stamp, stamp * 100, stamp * 100 + 50).saw(writer, writer_seq, writer_seq * 7);
    return event;
}

} // namespace

TEST_CASE("read-latest passes when every read sees the latest write", "[read-latest]") {
    // Lock order interleaves the agents; each agent's own list is in its own order.
    const History history = history_of(
        {agent(1, "alice", {write(1, 1, 1, 1), read_of(2, 4, 2, 1), write(3, 5, 1, 2)}, labels()),
         agent(2, "bob", {read_of(1, 2, 1, 1), write(2, 3, 2, 1), read_of(3, 6, 1, 2)}, labels())});
    const PropertyResult result = check_one(history, "read-latest");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.checked == 3);
    CHECK(result.detail == "3 reads and 3 writes in lock order, every read saw the latest write");
}

TEST_CASE("read-latest fails on a read that missed the latest write", "[read-latest]") {
    const History history =
        history_of({agent(1, "alice", {write(1, 1, 1, 1), read_of(2, 4, 1, 1)}, labels()),
                    agent(2, "bob", {read_of(1, 2, 1, 1), write(2, 3, 2, 1)}, labels())});
    const PropertyResult result = check_one(history, "read-latest");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 stale read among 2 reads and 2 writes in lock order");
    REQUIRE(result.evidence.size() == 1);
    const Evidence& evidence = result.evidence[0];
    CHECK(evidence.summary ==
          "alice's 'read' (stamp 4) returned message #1 of alice (5 bytes), but the latest write "
          "before it in lock order was bob's 'write \"hello {id}\"' (stamp 3), which wrote "
          "message #1 of bob (5 bytes)");
    REQUIRE(evidence.events.size() == 2);
    CHECK(evidence.events[0].agent == "alice");
    CHECK(evidence.events[0].event.stamp == 4);
    CHECK(evidence.events[1].agent == "bob");
    CHECK(evidence.events[1].op_label == "write \"hello {id}\"");
}

TEST_CASE("read-latest takes what a reused mapping held as its initial content", "[read-latest]") {
    // Agent 9 belongs to an earlier run; its message was there before this run wrote anything.
    const History history = history_of(
        {agent(1, "alice", {read_of(1, 1, 9, 4), read_of(2, 2, 9, 4), write(3, 3, 1, 1)}, labels()),
         agent(2, "bob", {read_of(1, 4, 1, 1)}, labels())});
    CHECK(check_one(history, "read-latest").verdict == Verdict::pass);

    SECTION("but content that changes with no write is stale") {
        const History changed =
            history_of({agent(1, "alice", {read_of(1, 1, 0, 0), read_of(2, 2, 9, 4)}, labels())});
        const PropertyResult result = check_one(changed, "read-latest");
        CHECK(result.verdict == Verdict::fail);
        CHECK(result.violations == 1);
        REQUIRE(result.evidence.size() == 1);
        CHECK(result.evidence[0].summary ==
              "alice's 'read' (stamp 2) returned message #4 of agent #9 (5 bytes), but the "
              "mapping held the empty mapping with no write since, as alice's 'read' (stamp 1) "
              "saw");
    }
}

TEST_CASE("read-latest accepts a write in flight when its agent died", "[read-latest]") {
    // bob committed write #1; his write #2 was in flight when he crashed, yet alice saw it.
    const AgentHistory bob = agent(2, "bob", {write(1, 1, 2, 1)}, labels());
    const AgentHistory alice =
        agent(1, "alice", {read_of(1, 3, 2, 2), read_of(2, 4, 2, 2)}, labels());
    const PropertyResult accepted =
        check_one(history_of({alice, ended(bob, AgentEnd::crashed, 9)}), "read-latest");
    CHECK(accepted.verdict == Verdict::pass);
    CHECK(accepted.checked == 2);

    SECTION("but not from an agent that finished") {
        const PropertyResult result = check_one(history_of({alice, bob}), "read-latest");
        CHECK(result.verdict == Verdict::fail);
        // Both reads saw a message no write produced.
        CHECK(result.violations == 2);
        REQUIRE(result.evidence.size() == 2);
        CHECK_THAT(result.evidence[0].summary, Contains("returned message #2 of bob") &&
                                                   Contains("which wrote message #1 of bob"));
    }
}

TEST_CASE("read-latest ignores torn reads and is not applicable without reads", "[read-latest]") {
    const History history = history_of(
        {agent(1, "alice", {write(1, 1, 1, 1), read_of(2, 2, 1, 9).flag(event_flag::torn)})});
    const PropertyResult result = check_one(history, "read-latest");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "no reads inside the lock");
}

namespace {

// One op of alice's explicit section at stamp 2 (the lock acquired at 200), recorded at `at`.
Event inside(OpKind kind, std::uint32_t op, std::uint64_t seq, std::uint64_t at) {
    Event event(kind, op, seq);
    event.in_section(2, at);
    return event;
}

Event unlock(std::uint64_t seq) {
    Event event(OpKind::unlock, op_unlock, seq);
    event.section(2, 200, 290);
    return event;
}

// bob writes at stamp 1; alice's section at stamp 2 holds `ops`, which write her message #1;
// bob reads it at stamp 3.
History around_section(std::vector<EventRecord> ops) {
    std::vector<EventRecord> alice{inside(OpKind::lock, op_lock, 1, 200)};
    alice.insert(alice.end(), ops.begin(), ops.end());
    alice.push_back(unlock(alice.size() + 1));
    return history_of({agent(1, "alice", alice, labels()),
                       agent(2, "bob", {write(1, 1, 2, 1), read_of(2, 3, 1, 1)}, labels())});
}

} // namespace

TEST_CASE("read-latest: a read after a write in the same section sees that write",
          "[read-latest]") {
    // Inside alice's section: read (bob's message), write hers, read (hers). The times the ops
    // recorded do not order them (the second read claims an earlier time than the write): the
    // agent's own order does.
    Event before = inside(OpKind::read, op_read, 2, 230);
    before.saw(2, 1, 7);
    Event mine = inside(OpKind::write, op_write, 3, 260);
    mine.wrote(1, 1, 7);
    Event after = inside(OpKind::read, op_read, 4, 210);
    after.saw(1, 1, 7);
    const History history = around_section({before, mine, after});
    const PropertyResult result = check_one(history, "read-latest");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 3);
    CHECK(result.detail == "3 reads and 2 writes in lock order, every read saw the latest write");

    SECTION("and fails when it returns the older message") {
        Event stale = inside(OpKind::read, op_read, 4, 270);
        stale.saw(2, 1, 7);
        const PropertyResult failed =
            check_one(around_section({before, mine, stale}), "read-latest");
        CHECK(failed.verdict == Verdict::fail);
        CHECK(failed.violations == 1);
        REQUIRE(failed.evidence.size() == 1);
        CHECK(failed.evidence[0].summary ==
              "alice's 'read' (stamp 2) returned message #1 of bob (5 bytes), but the latest "
              "write before it in lock order was alice's 'write \"hello {id}\"' (stamp 2), which "
              "wrote message #1 of alice (5 bytes)");
        REQUIRE(failed.evidence[0].events.size() == 2);
        CHECK(failed.evidence[0].events[1].event.kind == OpKind::write);
        CHECK(failed.evidence[0].events[1].index == 2);
    }

    SECTION("and a read before the write fails when it returns that write's message") {
        Event early = inside(OpKind::read, op_read, 2, 230);
        early.saw(1, 1, 7);
        const PropertyResult failed =
            check_one(around_section({early, mine, after}), "read-latest");
        CHECK(failed.verdict == Verdict::fail);
        CHECK(failed.violations == 1);
        REQUIRE(failed.evidence.size() == 1);
        CHECK(failed.evidence[0].summary ==
              "alice's 'read' (stamp 2) returned message #1 of alice (5 bytes), but the latest "
              "write before it in lock order was bob's 'write \"hello {id}\"' (stamp 1), which "
              "wrote message #1 of bob (5 bytes)");
    }
}
