// Explicit critical sections: lock / try_lock / timed_lock .. unlock.
#include "agent_runs.hpp"
#include "check.hpp"

#include <catch2/catch.hpp>
#include <cerrno>

using namespace ipch;
using namespace ipch::test;

namespace {

constexpr std::uint64_t ms = 1'000'000;

} // namespace

TEST_CASE("a lock..unlock section is one critical section: the unlock's event", "[ops]") {
    const AgentRun run = run_scenario(scenario_of(
        {agent("a", {op(OpKind::lock), write_op("in"), repeat_op(2, {read_expecting("in")}),
                     hold_op(1 * ms), op(OpKind::unlock), op(OpKind::unlock)})}));
    const AgentHistory& a = run.agent("a");
    CHECK(a.end == AgentEnd::finished);
    std::size_t sections = 0;
    for (const EventRecord& event : a.events)
        sections += has_flags(event, event_flag::critical_section) ? 1 : 0;
    CHECK(sections == 1);
    const auto locks = events_of(a, OpKind::lock);
    const auto unlocks = events_of(a, OpKind::unlock);
    REQUIRE(locks.size() == 1);
    REQUIRE(unlocks.size() == 2);
    const EventRecord& section = unlocks[0];
    CHECK(has_flags(section, event_flag::critical_section));
    CHECK(section.stamp == locks[0].stamp);
    CHECK(section.t_requested == locks[0].t_requested);
    CHECK(section.t_acquired == locks[0].t_acquired);
    CHECK(section.t_released >= section.t_acquired + 1 * ms); // the hold is inside
    // Every op between ran inside it, under its stamp, without a section of its own.
    for (const OpKind kind : {OpKind::write, OpKind::read, OpKind::hold}) {
        for (const EventRecord& event : events_of(a, kind)) {
            CHECK(has_flags(event, event_flag::in_section));
            CHECK_FALSE(has_flags(event, event_flag::critical_section));
            CHECK(event.stamp == section.stamp);
            CHECK(event.outcome == Outcome::ok);
            CHECK(event.t_requested >= section.t_acquired);
            CHECK(event.t_released <= section.t_released);
        }
    }
    // An unlock without a lock.
    CHECK(unlocks[1].outcome == Outcome::error);
    CHECK(unlocks[1].error == event_error::not_held);
}

TEST_CASE("try_lock while another agent holds the lock is busy, and its section is skipped",
          "[ops]") {
    // After the barrier the holder takes the lock for 400 ms; the other tries 100 ms in.
    const AgentRun run = run_scenario(scenario_of(
        {agent("holder", {barrier_op("start"), hold_op(400 * ms), barrier_op("released")}),
         agent("trier",
               {barrier_op("start"), sleep_op(100 * ms), op(OpKind::try_lock), write_op("never"),
                repeat_op(3, {op(OpKind::increment)}), op(OpKind::unlock), barrier_op("released"),
                op(OpKind::try_lock), op(OpKind::unlock)})}));
    const AgentHistory& trier = run.agent("trier");
    CHECK(trier.end == AgentEnd::finished);
    const auto tries = events_of(trier, OpKind::try_lock);
    REQUIRE(tries.size() == 2);
    CHECK(tries[0].outcome == Outcome::busy);
    CHECK_FALSE(has_flags(tries[0], event_flag::critical_section));
    // Skipped once each (the repeat's op too), up to and including the unlock.
    const auto writes = events_of(trier, OpKind::write);
    const auto increments = events_of(trier, OpKind::increment);
    const auto unlocks = events_of(trier, OpKind::unlock);
    REQUIRE(writes.size() == 1);
    REQUIRE(increments.size() == 1);
    REQUIRE(unlocks.size() == 2);
    CHECK(writes[0].outcome == Outcome::skipped);
    CHECK(increments[0].outcome == Outcome::skipped);
    CHECK(unlocks[0].outcome == Outcome::skipped);
    // Once the holder is gone, a try succeeds and its unlock is the section.
    CHECK(tries[1].outcome == Outcome::ok);
    CHECK(unlocks[1].outcome == Outcome::ok);
    CHECK(has_flags(unlocks[1], event_flag::critical_section));
}

TEST_CASE("timed_lock gives up at its timeout, or acquires when the lock frees in time", "[ops]") {
    const AgentRun run = run_scenario(scenario_of(
        {agent("holder",
               {barrier_op("start"), hold_op(400 * ms), barrier_op("second"), hold_op(50 * ms)}),
         agent("waiter",
               {barrier_op("start"), sleep_op(50 * ms), timed_lock_op(50 * ms), write_op("no"),
                op(OpKind::unlock), barrier_op("second"), sleep_op(10 * ms),
                timed_lock_op(2000 * ms), write_op("yes"), op(OpKind::unlock)})}));
    const AgentHistory& waiter = run.agent("waiter");
    const auto timed = events_of(waiter, OpKind::timed_lock);
    REQUIRE(timed.size() == 2);
    CHECK(timed[0].outcome == Outcome::timeout);
    const std::uint64_t waited = timed[0].t_released - timed[0].t_requested;
    INFO("waited " << waited / 1e6 << " ms for a 50 ms timed_lock");
    CHECK(waited >= 50 * ms);
    CHECK(waited < 50 * ms + 30 * ms); // sem_timedwait wakes within a few ms of its deadline
    const auto writes = events_of(waiter, OpKind::write);
    REQUIRE(writes.size() == 2);
    CHECK(writes[0].outcome == Outcome::skipped);
    CHECK(timed[1].outcome == Outcome::ok);
    CHECK(timed[1].t_acquired - timed[1].t_requested < 2000 * ms);
    // Each event carries its timeout, and the checker finds both on time.
    CHECK(timed[0].msg_writer_seq == 50 * ms);
    CHECK(timed[1].msg_writer_seq == 2000 * ms);
    for (const PropertyResult& result : check_history(run.report.history))
        if (result.id == "timed-lock") {
            INFO(result.detail);
            CHECK(result.verdict == Verdict::pass);
            CHECK(result.checked == 2);
        }
    CHECK(writes[1].outcome == Outcome::ok);
    CHECK(has_flags(writes[1], event_flag::in_section | event_flag::written));
}

TEST_CASE("a lock inside a section is refused instead of waiting for itself", "[ops]") {
    const AgentRun run = run_scenario(scenario_of({agent(
        "a", {op(OpKind::lock), op(OpKind::try_lock), write_op("in"), op(OpKind::unlock)})}));
    const AgentHistory& a = run.agent("a");
    CHECK(a.end == AgentEnd::finished);
    const auto tries = events_of(a, OpKind::try_lock);
    REQUIRE(tries.size() == 1);
    CHECK(tries[0].error == EDEADLK);
    // The first section goes on: the write is inside it, the unlock ends it.
    CHECK(has_flags(events_of(a, OpKind::write)[0], event_flag::in_section));
    CHECK(has_flags(events_of(a, OpKind::unlock)[0], event_flag::critical_section));
}
