// crash {at}: the agent SIGKILLs itself at the chosen point, its last event committed first.
#include "agent_runs.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <optional>

using namespace ipch;
using namespace ipch::test;

namespace {

constexpr std::uint64_t ms = 1'000'000;

// The crashing agent's history, after checking how it ended.
const AgentHistory& crashed(const AgentRun& run, const std::string& name) {
    const AgentHistory& agent = run.agent(name);
    CHECK(agent.end == AgentEnd::crashed);
    CHECK(agent.signal == SIGKILL);
    CHECK(agent.log_status == LogStatus::running); // it never closed its log
    // The harness marked its slot crashed, and still knows it had passed the start barrier.
    CHECK(agent.released == std::optional<bool>(true));
    REQUIRE_FALSE(agent.events.empty());
    CHECK(agent.events.back().kind == OpKind::crash);
    return agent;
}

} // namespace

TEST_CASE("crash before-lock: the event, then SIGKILL, outside any section", "[ops]") {
    const AgentRun run = run_scenario(scenario_of(
        {agent("a", {write_op("one"), crash_op(CrashPoint::before_lock), write_op("never")})}));
    const EventRecord& last = crashed(run, "a").events.back();
    CHECK(last.flags == 0);
    CHECK(last.outcome == Outcome::ok);
    CHECK(events_of(run.agent("a"), OpKind::write).size() == 1);
}

TEST_CASE("crash holding-lock: a critical section that is never left", "[ops]") {
    const AgentRun run = run_scenario(
        scenario_of({agent("a", {write_op("one"), crash_op(CrashPoint::holding_lock)})}));
    const AgentHistory& a = crashed(run, "a");
    const EventRecord& last = a.events.back();
    CHECK(last.flags == (event_flag::critical_section | event_flag::unreleased));
    CHECK(last.t_released == 0);
    CHECK(last.t_acquired >= last.t_requested);
    CHECK(last.stamp == events_of(a, OpKind::write)[0].stamp + 1);
}

TEST_CASE("crash mid-write: a new header over half a payload, read back as torn", "[ops]") {
    // The reader skips the lock (the dead writer holds the named mutex for ever) and reads once
    // the writer is gone.
    AgentSpec reader = agent("reader", {sleep_op(300 * ms), read_op()});
    reader.mutex_kind = MutexKind::none;
    OpSpec crash = crash_op(CrashPoint::mid_write);
    crash.text = "a message of some length from {agent}";
    const AgentRun run = run_scenario(scenario_of({agent("a", {write_op("x"), crash}), reader}));
    const EventRecord& last = crashed(run, "a").events.back();
    CHECK(last.flags ==
          (event_flag::critical_section | event_flag::unreleased | event_flag::written));
    CHECK(last.msg_writer == 1);
    CHECK(last.msg_writer_seq == 2);
    CHECK(last.msg_length == std::string("a message of some length from a").size());
    const auto reads = events_of(run.agent("reader"), OpKind::read);
    REQUIRE(reads.size() == 1);
    CHECK(reads[0].msg_writer_seq == 2);
    CHECK(has_flags(reads[0], event_flag::torn));
}

TEST_CASE("crash after-unlock: a complete critical section, then SIGKILL", "[ops]") {
    const AgentRun run =
        run_scenario(scenario_of({agent("a", {crash_op(CrashPoint::after_unlock)}),
                                  agent("b", {sleep_op(100 * ms), write_op("the lock is free")})}));
    const EventRecord& last = crashed(run, "a").events.back();
    CHECK(last.flags == event_flag::critical_section);
    CHECK(last.t_released >= last.t_acquired);
    CHECK(run.agent("b").end == AgentEnd::finished); // the lock was released
}

TEST_CASE("a crash inside an explicit section leaves that section unreleased", "[ops]") {
    const AgentRun run = run_scenario(
        scenario_of({agent("a", {op(OpKind::lock), write_op("in"),
                                 crash_op(CrashPoint::before_lock), op(OpKind::unlock)})}));
    const AgentHistory& a = crashed(run, "a");
    const EventRecord& last = a.events.back();
    CHECK(has_flags(last, event_flag::critical_section | event_flag::unreleased));
    CHECK(last.t_released == 0);
    CHECK(last.stamp == events_of(a, OpKind::lock)[0].stamp);
    CHECK(last.t_acquired == events_of(a, OpKind::lock)[0].t_acquired);
    CHECK(events_of(a, OpKind::unlock).empty());
}

TEST_CASE("crash mid-write inside an explicit section half-writes, as outside one", "[ops]") {
    AgentSpec reader = agent("reader", {sleep_op(300 * ms), read_op()});
    reader.mutex_kind = MutexKind::none; // the dead writer holds the named mutex for ever
    OpSpec crash = crash_op(CrashPoint::mid_write);
    crash.text = "half of this message from {agent}";
    const AgentRun run = run_scenario(scenario_of(
        {agent("a", {op(OpKind::lock), write_op("whole"), crash, op(OpKind::unlock)}), reader}));
    const AgentHistory& a = crashed(run, "a");
    const EventRecord& last = a.events.back();
    CHECK(has_flags(last, event_flag::unreleased | event_flag::written));
    CHECK(last.stamp == events_of(a, OpKind::lock)[0].stamp);
    CHECK(last.msg_writer_seq == 2);
    const auto reads = events_of(run.agent("reader"), OpKind::read);
    REQUIRE(reads.size() == 1);
    CHECK(reads[0].msg_writer_seq == 2);
    CHECK(has_flags(reads[0], event_flag::torn));
}
