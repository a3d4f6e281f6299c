#include "history_builder.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::test;
using Catch::Matchers::Contains;

namespace {

// An increment at `stamp` that read `value` (and wrote value + 1).
Event increment(std::uint64_t seq, std::uint64_t stamp, std::uint64_t value) {
    Event event(OpKind::increment, op_increment, seq);
    event.section(stamp, stamp * 100, stamp * 100 + 50).counter_read(value);
    return event;
}

// alice and bob take turns: stamps 1..6 read 0..5.
History taking_turns() {
    return history_of(
        {agent(1, "alice", {increment(1, 1, 0), increment(2, 3, 2), increment(3, 5, 4)}, labels()),
         agent(2, "bob", {increment(1, 2, 1), increment(2, 4, 3), increment(3, 6, 5)}, labels())});
}

} // namespace

TEST_CASE("no-lost-update passes when each increment reads the one before it plus one",
          "[no-lost-update]") {
    const PropertyResult result = check_one(taking_turns(), "no-lost-update");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.violations == 0);
    CHECK(result.checked == 6);
    CHECK(result.evidence.empty());
    CHECK(result.detail == "6 increments read the counter from 0 to 5, each value once");
}

TEST_CASE("no-lost-update judges by values and stamps, never by times", "[no-lost-update]") {
    // The same turns, with times that run backwards and overlap: only evidence.
    History history = taking_turns();
    std::vector<AgentHistory> agents;
    for (const AgentHistory& original : history.agents) {
        std::vector<EventRecord> events(original.events.begin(), original.events.end());
        for (EventRecord& event : events) {
            event.t_acquired = 1000 - event.stamp;
            event.t_released = 2000;
        }
        agents.push_back(agent(original.agent_id, original.name, events, labels()));
    }
    CHECK(check_one(history_of(std::move(agents)), "no-lost-update").verdict == Verdict::pass);
}

TEST_CASE("no-lost-update counts increments inside an explicit section in their own order",
          "[no-lost-update]") {
    // alice's section at stamp 2 increments twice: they share its stamp and read 1 then 2.
    Event first(OpKind::increment, op_increment, 2);
    first.in_section(2, 210).counter_read(1);
    Event second(OpKind::increment, op_increment, 3);
    second.in_section(2, 220).counter_read(2);
    Event unlock(OpKind::unlock, op_unlock, 4);
    unlock.section(2, 200, 290);
    const History history = history_of(
        {agent(1, "alice",
               {Event(OpKind::lock, op_lock, 1).in_section(2, 200), first, second, unlock},
               labels()),
         agent(2, "bob", {increment(1, 1, 0), increment(2, 3, 3)}, labels())});
    const PropertyResult result = check_one(history, "no-lost-update");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 4);
    CHECK(result.detail == "4 increments read the counter from 0 to 3, each value once");
}

TEST_CASE("no-lost-update fails on two increments that read the same value", "[no-lost-update]") {
    // bob read 2 at stamp 4 although alice had read 2 (and written 3) at stamp 3.
    const History history = history_of(
        {agent(1, "alice", {increment(1, 1, 0), increment(2, 3, 2)}, labels()),
         agent(2, "bob", {increment(1, 2, 1), increment(2, 4, 2), increment(3, 5, 3)}, labels())});
    const PropertyResult result = check_one(history, "no-lost-update");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.checked == 5);
    CHECK(result.detail == "1 lost update among 5 increments");
    REQUIRE(result.evidence.size() == 1);
    const Evidence& evidence = result.evidence[0];
    CHECK(evidence.summary ==
          "alice's 'increment' (stamp 3, acquired at 300 ns) and bob's 'increment' (stamp 4, "
          "acquired at 400 ns) both read the counter at 2 and both wrote 3: one update was lost");
    REQUIRE(evidence.events.size() == 2);
    CHECK(evidence.events[0].agent == "alice");
    CHECK(evidence.events[0].op_label == "increment");
    CHECK(evidence.events[0].event.msg_writer_seq == 2);
    CHECK(evidence.events[1].agent == "bob");
    CHECK(evidence.events[1].index == 1);
}

TEST_CASE("no-lost-update fails on a value no increment read", "[no-lost-update]") {
    // Someone read 2 and wrote 3, but no committed event says so, and nobody died.
    const History history =
        history_of({agent(1, "alice", {increment(1, 1, 0), increment(2, 3, 3)}, labels()),
                    agent(2, "bob", {increment(1, 2, 1)}, labels())});
    const PropertyResult result = check_one(history, "no-lost-update");
    CHECK(result.verdict == Verdict::fail);
    CHECK(result.violations == 1);
    CHECK(result.detail == "1 gap in the counter among 3 increments");
    REQUIRE(result.evidence.size() == 1);
    CHECK(result.evidence[0].summary ==
          "no increment read 2: bob's 'increment' (stamp 2, acquired at 200 ns) read 1 and "
          "alice's 'increment' (stamp 3, acquired at 300 ns) read 3; 1 value is missing in all, "
          "ops in flight of agents that died explain at most 0");
    CHECK(result.evidence[0].events.size() == 2);
}

TEST_CASE("no-lost-update excuses one missing value per agent that died", "[no-lost-update]") {
    // carol was killed inside an increment: she wrote 3 but never recorded reading 2.
    const AgentHistory carol =
        ended(agent(3, "carol", {increment(1, 3, 2)}, labels()), AgentEnd::crashed, 9);
    const AgentHistory dead = ended(agent(3, "carol", {}, labels()), AgentEnd::crashed, 9);
    const History history =
        history_of({agent(1, "alice", {increment(1, 1, 0), increment(2, 4, 3)}, labels()),
                    agent(2, "bob", {increment(1, 2, 1)}, labels()), dead});
    const PropertyResult result = check_one(history, "no-lost-update");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.detail == "3 increments read the counter from 0 to 3, each value once (1 "
                           "missing value explained by ops in flight when agents died, or by "
                           "records lost from damaged event logs)");

    SECTION("but not two") {
        const History worse =
            history_of({agent(1, "alice", {increment(1, 1, 0), increment(2, 4, 4)}, labels()),
                        agent(2, "bob", {increment(1, 2, 1)}, labels()), dead});
        const PropertyResult failed = check_one(worse, "no-lost-update");
        CHECK(failed.verdict == Verdict::fail);
        REQUIRE(failed.evidence.size() == 1);
        CHECK_THAT(failed.evidence[0].summary, Contains("no increment read any of 2..3") &&
                                                   Contains("2 values are missing in all") &&
                                                   Contains("at most 1"));
    }
    SECTION("and a dead agent's recorded increments are judged like any") {
        const History judged =
            history_of({agent(1, "alice", {increment(1, 1, 0), increment(2, 4, 2)}, labels()),
                        agent(2, "bob", {increment(1, 2, 1)}, labels()), carol});
        CHECK(check_one(judged, "no-lost-update").detail == "1 lost update among 4 increments");
    }
}

TEST_CASE("no-lost-update leaves an increment inside an unreleased section unjudged",
          "[no-lost-update]") {
    // carol's increment read 2 inside her explicit section, then she crashed holding the lock:
    // whether she wrote 3 is unknown, so bob reading 2 after her is no lost update.
    Event interrupted(OpKind::increment, op_increment, 2);
    interrupted.in_section(3, 310).counter_read(2).flag(event_flag::unreleased);
    AgentHistory carol = ended(agent(3, "carol", {interrupted}, labels()), AgentEnd::crashed, 9);
    carol.expected_crash = true;
    const History history =
        history_of({agent(1, "alice", {increment(1, 1, 0)}, labels()),
                    agent(2, "bob", {increment(1, 2, 1), increment(2, 4, 2)}, labels()), carol});
    const PropertyResult result = check_one(history, "no-lost-update");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 3);
    CHECK(result.detail == "3 increments read the counter from 0 to 2, each value once (1 "
                           "increment inside a section a crash left unreleased, not judged)");

    SECTION("nor when she had written 3") {
        const History wrote = history_of(
            {agent(1, "alice", {increment(1, 1, 0)}, labels()),
             agent(2, "bob", {increment(1, 2, 1), increment(2, 4, 3)}, labels()), carol});
        CHECK(check_one(wrote, "no-lost-update").verdict == Verdict::pass);
    }
}

TEST_CASE("no-lost-update counts only increments that ran", "[no-lost-update]") {
    // A failed increment and one skipped (its try_lock did not acquire) read nothing.
    const History history = history_of({agent(
        1, "alice",
        {increment(1, 1, 0), Event(OpKind::increment, op_increment, 2).error(event_error::not_open),
         Event(OpKind::increment, op_increment, 3).outcome(Outcome::skipped), increment(4, 2, 1)},
        labels())});
    const PropertyResult result = check_one(history, "no-lost-update");
    CHECK(result.verdict == Verdict::pass);
    CHECK(result.checked == 2);
}

TEST_CASE("no-lost-update is not applicable without increments", "[no-lost-update]") {
    Event write(OpKind::write, op_write, 1);
    write.section(1, 100, 200).wrote(1, 1, 7);
    const PropertyResult result =
        check_one(history_of({agent(1, "alice", {write})}), "no-lost-update");
    CHECK(result.verdict == Verdict::not_applicable);
    CHECK(result.detail == "no increments");
}

TEST_CASE("no-lost-update caps evidence but counts every lost update", "[no-lost-update]") {
    // Ten increments that all read 0: nine updates lost.
    std::vector<EventRecord> events;
    for (std::uint64_t i = 0; i < 10; ++i)
        events.push_back(increment(i + 1, i + 1, 0));
    const PropertyResult result = check_one(
        history_of({agent(1, "alice", std::move(events), labels())}), "no-lost-update", {0, 3});
    CHECK(result.violations == 9);
    CHECK(result.evidence.size() == 3);
    CHECK(result.detail == "9 lost updates among 10 increments");
}
