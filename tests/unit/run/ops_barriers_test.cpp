// barrier: agents meet on the harness's control object; a participant that ends without
// arriving breaks it, and nobody hangs.
#include "agent_runs.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>

using namespace ipch;
using namespace ipch::test;

namespace {

constexpr std::uint64_t ms = 1'000'000;

} // namespace

TEST_CASE("no agent's op after a barrier starts before every agent arrived", "[ops]") {
    const AgentRun run = run_scenario(
        scenario_of({agent("a", {barrier_op("meet"), write_op("a")}),
                     agent("b", {sleep_op(60 * ms), barrier_op("meet"), write_op("b")}),
                     agent("c", {sleep_op(120 * ms), barrier_op("meet"), write_op("c")})}));
    std::uint64_t last_arrival = 0;
    for (const AgentHistory& agent : run.report.history.agents) {
        const auto barriers = events_of(agent, OpKind::barrier);
        REQUIRE(barriers.size() == 1);
        CHECK(barriers[0].outcome == Outcome::ok);
        last_arrival = std::max(last_arrival, barriers[0].t_requested);
    }
    for (const AgentHistory& agent : run.report.history.agents) {
        const auto barrier = events_of(agent, OpKind::barrier)[0];
        CHECK(barrier.t_released >= last_arrival);
        const auto writes = events_of(agent, OpKind::write);
        REQUIRE(writes.size() == 1);
        CHECK(writes[0].t_requested >= last_arrival);
    }
    // The first to arrive waited for the last (which came 120 ms later).
    CHECK(events_of(run.agent("a"), OpKind::barrier)[0].t_released -
              events_of(run.agent("a"), OpKind::barrier)[0].t_requested >=
          100 * ms);
}

TEST_CASE("a barrier is reusable: rounds in a repeat all meet", "[ops]") {
    const AgentRun run = run_scenario(scenario_of(
        {agent("r", {repeat_op(200, {barrier_op("round"), op(OpKind::increment)})}, 3)}));
    // Round k's increments all read values in [3k, 3k+2]: nobody runs ahead a round.
    for (const AgentHistory& agent : run.report.history.agents) {
        CHECK(agent.end == AgentEnd::finished);
        const auto increments = events_of(agent, OpKind::increment);
        REQUIRE(increments.size() == 200);
        for (std::size_t round = 0; round < increments.size(); ++round)
            CHECK(increments[round].msg_writer_seq / 3 == round);
        for (const EventRecord& barrier : events_of(agent, OpKind::barrier))
            CHECK(barrier.outcome == Outcome::ok);
    }
}

TEST_CASE("a participant that crashes breaks the barrier: barrier_broken, no hang", "[ops]") {
    const AgentRun run = run_scenario(
        scenario_of({agent("waiter", {barrier_op("meet"), write_op("after")}, 2),
                     agent("doomed", {sleep_op(50 * ms), crash_op(CrashPoint::before_lock),
                                      barrier_op("meet")})}));
    CHECK(run.agent("doomed").end == AgentEnd::crashed);
    for (const char* name : {"waiter-1", "waiter-2"}) {
        const AgentHistory& waiter = run.agent(name);
        CHECK(waiter.end == AgentEnd::finished);
        const auto barriers = events_of(waiter, OpKind::barrier);
        REQUIRE(barriers.size() == 1);
        CHECK(barriers[0].outcome == Outcome::error);
        CHECK(barriers[0].error == event_error::barrier_broken);
        // Noticed promptly, not at the 10 s timeout.
        CHECK(barriers[0].t_released - barriers[0].t_requested < 2000 * ms);
        const auto writes = events_of(waiter, OpKind::write);
        REQUIRE(writes.size() == 1); // the agent went on
        CHECK(writes[0].outcome == Outcome::ok);
    }
}

TEST_CASE("a participant that finishes without arriving breaks the barrier too", "[ops]") {
    const AgentRun run =
        run_scenario(scenario_of({agent("waiter", {barrier_op("meet"), barrier_op("meet")}),
                                  agent("quitter", {barrier_op("meet")})}));
    const auto barriers = events_of(run.agent("waiter"), OpKind::barrier);
    REQUIRE(barriers.size() == 2);
    CHECK(barriers[0].outcome == Outcome::ok);
    CHECK(barriers[1].error == event_error::barrier_broken);
    CHECK(run.agent("quitter").end == AgentEnd::finished);
}

TEST_CASE("a barrier wait gives up at the start timeout, and the barrier stays broken", "[ops]") {
    const AgentRun run =
        run_scenario(scenario_of({agent("early", {barrier_op("meet"), write_op("went on")}),
                                  agent("late", {sleep_op(600 * ms), barrier_op("meet")})}),
                     1, [](Plan& plan) {
                         for (AgentPlan& agent : plan.agents)
                             agent.start_timeout_ns = 200 * ms;
                     });
    const auto early = events_of(run.agent("early"), OpKind::barrier);
    REQUIRE(early.size() == 1);
    CHECK(early[0].outcome == Outcome::timeout);
    CHECK(early[0].t_released - early[0].t_requested >= 200 * ms);
    CHECK(events_of(run.agent("early"), OpKind::write).size() == 1);
    // The late one finds it broken at once: the early one's arrival is counted but it left.
    const auto late = events_of(run.agent("late"), OpKind::barrier);
    REQUIRE(late.size() == 1);
    CHECK(late[0].error == event_error::barrier_broken);
    CHECK(late[0].t_released - late[0].t_requested < 100 * ms);
}

TEST_CASE("a barrier op of an agent that is not among its participants is refused", "[ops]") {
    OpSpec others_only = barrier_op("theirs");
    others_only.groups = {"them"};
    const AgentRun run = run_scenario(scenario_of({agent("me", {others_only, write_op("went on")}),
                                                   agent("them", {barrier_op("theirs")}, 2)}));
    const auto mine = events_of(run.agent("me"), OpKind::barrier);
    REQUIRE(mine.size() == 1);
    CHECK(mine[0].error == EINVAL);
    CHECK(events_of(run.agent("me"), OpKind::write).size() == 1);
    // It was not counted: the two participants still met each other.
    for (const char* name : {"them-1", "them-2"})
        CHECK(events_of(run.agent(name), OpKind::barrier)[0].outcome == Outcome::ok);
}
