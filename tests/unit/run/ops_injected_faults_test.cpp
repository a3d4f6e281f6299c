// Seeded faults in the real agent: each one does what its bug does, records what the buggy
// library would claim (nothing in the events says a fault ran), fires with its probability,
// and draws from the agent's seed. Timed cases leave 100 ms or more between what must happen
// in order, after a barrier: far beyond a scheduler's hiccup.
#include "agent_runs.hpp"
#include "check.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace ipch;
using namespace ipch::test;

namespace {

constexpr std::uint64_t ms = 1'000'000;

AgentSpec with_faults(AgentSpec spec, std::vector<FaultSpec> faults) {
    spec.faults = std::move(faults);
    return spec;
}

Verdict verdict_of(const AgentRun& run, const std::string& id) {
    for (const PropertyResult& result : check_history(run.report.history))
        if (result.id == id) return result.verdict;
    FAIL("no property " << id);
    return Verdict::unknown;
}

// The holder takes the lock for 400 ms after the barrier; the other agent writes 100 ms in.
std::vector<AgentSpec> write_during_hold(AgentSpec holder_base, AgentSpec writer_base) {
    holder_base.ops = {barrier_op("start"), hold_op(400 * ms), barrier_op("end")};
    writer_base.ops = {barrier_op("start"), sleep_op(100 * ms), write_op("in {agent}"),
                       barrier_op("end")};
    return {std::move(holder_base), std::move(writer_base)};
}

// Whether the writer's write held "the lock" while the holder did.
bool wrote_during_hold(const AgentRun& run, const std::string& holder, const std::string& writer) {
    const auto holds = events_of(run.agent(holder), OpKind::hold);
    const auto writes = events_of(run.agent(writer), OpKind::write);
    REQUIRE(holds.size() == 1);
    REQUIRE(writes.size() == 1);
    return writes[0].t_acquired < holds[0].t_released;
}

// The writer_seq of the message each read observed, in order.
std::vector<std::uint64_t> observed_seqs(const AgentHistory& agent) {
    std::vector<std::uint64_t> seqs;
    for (const EventRecord& event : events_of(agent, OpKind::read))
        seqs.push_back(event.msg_writer_seq);
    return seqs;
}

} // namespace

TEST_CASE("skip-lock: the section runs without the lock, recorded as if it held it",
          "[ops][faults]") {
    const AgentRun run = run_scenario(scenario_of(write_during_hold(
        agent("holder", {}), with_faults(agent("skipper", {}), {{FaultKind::skip_lock, 1.0}}))));
    CHECK(wrote_during_hold(run, "holder", "skipper"));
    // A whole critical section by its event: stamp, times, the message; the owner word it found
    // is the holder's, as a library that skipped the lock would find it.
    const EventRecord write = events_of(run.agent("skipper"), OpKind::write)[0];
    CHECK(write.outcome == Outcome::ok);
    CHECK(has_flags(write,
                    event_flag::critical_section | event_flag::written | event_flag::owner_busy));
    CHECK(write.stamp == events_of(run.agent("holder"), OpKind::hold)[0].stamp + 1);
    CHECK(verdict_of(run, "mutual-exclusion") == Verdict::fail);
}

TEST_CASE("a fault at probability 0 never fires", "[ops][faults]") {
    const AgentRun run = run_scenario(scenario_of(write_during_hold(
        agent("holder", {}), with_faults(agent("skipper", {}), {{FaultKind::skip_lock, 0.0}}))));
    CHECK_FALSE(wrote_during_hold(run, "holder", "skipper"));
    CHECK(verdict_of(run, "mutual-exclusion") == Verdict::pass);
}

TEST_CASE("classic: the agent that found the mutex never locks it, and its creator does",
          "[ops][faults]") {
    for (const MutexKind kind : {MutexKind::named_mutex, MutexKind::file_lock}) {
        DYNAMIC_SECTION(to_string(kind)) {
            // app1 creates the objects (it opens first); app2 finds them.
            AgentSpec app1 = with_faults(agent("app1", {}), {{FaultKind::classic, 1.0}});
            AgentSpec app2 = with_faults(agent("app2", {}), {{FaultKind::classic, 1.0}});
            app2.open_mode = OpenMode::open_existing;
            const AgentRun second_skips =
                run_scenario(scenario_of(write_during_hold(app1, app2), kind));
            CHECK(wrote_during_hold(second_skips, "app1", "app2"));
            CHECK(verdict_of(second_skips, "mutual-exclusion") == Verdict::fail);
            // The creator writes while app2 (without the fault now) holds: it owns the mutex,
            // so it waits.
            AgentSpec plain2 = app2;
            plain2.faults.clear();
            const AgentRun creator_locks =
                run_scenario(scenario_of(write_during_hold(plain2, app1), kind));
            CHECK_FALSE(wrote_during_hold(creator_locks, "app2", "app1"));
            CHECK(verdict_of(creator_locks, "mutual-exclusion") == Verdict::pass);
        }
    }
}

TEST_CASE("double-unlock: under a named_mutex two other agents then hold the lock at once",
          "[ops][faults]") {
    // The doubler writes once before the barrier: its second unlock leaves the semaphore at 2.
    AgentSpec doubler =
        with_faults(agent("doubler", {write_op("twice"), barrier_op("start"), barrier_op("end")}),
                    {{FaultKind::double_unlock, 1.0}});
    std::vector<AgentSpec> agents = write_during_hold(agent("holder", {}), agent("late", {}));
    agents.push_back(doubler);
    const AgentRun named = run_scenario(scenario_of(agents, MutexKind::named_mutex));
    CHECK(wrote_during_hold(named, "holder", "late"));
    CHECK(verdict_of(named, "mutual-exclusion") == Verdict::fail);
    // An fcntl lock ignores the second unlock: the same bug does no harm there.
    const AgentRun fcntl = run_scenario(scenario_of(agents, MutexKind::file_lock));
    CHECK_FALSE(wrote_during_hold(fcntl, "holder", "late"));
    CHECK(verdict_of(fcntl, "mutual-exclusion") == Verdict::pass);
}

TEST_CASE("stale-read: every read serves the message the first one found", "[ops][faults]") {
    const AgentRun run = run_scenario(scenario_of(
        {with_faults(agent("forgetful", {write_op("one"), read_op(), write_op("two"), read_op(),
                                         write_op("three"), read_expecting("three")}),
                     {{FaultKind::stale_read, 1.0}})}));
    const AgentHistory& forgetful = run.agent("forgetful");
    CHECK(observed_seqs(forgetful) == std::vector<std::uint64_t>{1, 1, 1});
    for (const EventRecord& read : events_of(forgetful, OpKind::read)) {
        // A whole message, taken inside the lock: only the order of writes and reads tells.
        CHECK(has_flags(read, event_flag::critical_section | event_flag::observed));
        CHECK_FALSE(has_flags(read, event_flag::torn));
    }
    CHECK(events_of(forgetful, OpKind::read)[2].outcome == Outcome::mismatch);
    CHECK(verdict_of(run, "read-latest") == Verdict::fail);
    CHECK(verdict_of(run, "no-torn-read") == Verdict::pass);
}

TEST_CASE("a fault's draws follow the agent's seed", "[ops][faults]") {
    // Each round writes a new message and reads: a stale read returns the first one read.
    const Scenario scenario = scenario_of(
        {with_faults(agent("forgetful", {repeat_op(64, {write_op("{agent} {seq}"), read_op()})}),
                     {{FaultKind::stale_read, 0.5}})});
    const std::vector<std::uint64_t> first =
        observed_seqs(run_scenario(scenario, 7).agent("forgetful"));
    const std::vector<std::uint64_t> again =
        observed_seqs(run_scenario(scenario, 7).agent("forgetful"));
    const std::vector<std::uint64_t> other =
        observed_seqs(run_scenario(scenario, 8).agent("forgetful"));
    REQUIRE(first.size() == 64);
    CHECK(first == again);
    CHECK(first != other);
    std::size_t stale = 0;
    for (std::size_t i = 0; i < first.size(); ++i)
        stale += first[i] != i + 1 ? 1 : 0;
    // About half, and certainly neither none nor all (each has odds of 2^-63 or so).
    CHECK(stale > 8);
    CHECK(stale < 56);
}

TEST_CASE("torn-write and early-release finish their writes: alone, every message is whole",
          "[ops][faults]") {
    // The bugs need another agent in the window they open; alone, the reads after each write
    // find it whole: the faulty writes copy every byte, only too late.
    for (const FaultKind fault : {FaultKind::torn_write, FaultKind::early_release}) {
        DYNAMIC_SECTION(to_string(fault)) {
            const AgentRun run = run_scenario(scenario_of(
                {with_faults(
                    agent("writer", {repeat_op(3, {write_op("{agent} writes {seq}"),
                                                   read_expecting("{agent} writes {seq}"),
                                                   write_sized(1000, "{seq}:"), read_op()})}),
                    {{fault, 1.0}})},
                MutexKind::named_mutex, 2048));
            const AgentHistory& writer = run.agent("writer");
            CHECK(writer.end == AgentEnd::finished);
            const auto reads = events_of(writer, OpKind::read);
            REQUIRE(reads.size() == 6);
            for (std::size_t i = 0; i < reads.size(); ++i) {
                CHECK(reads[i].outcome == Outcome::ok);
                CHECK_FALSE(has_flags(reads[i], event_flag::torn));
                CHECK(reads[i].msg_writer_seq == i + 1);
                CHECK(reads[i].computed_checksum == reads[i].msg_checksum);
            }
            CHECK(verdict_of(run, "no-torn-read") == Verdict::pass);
            CHECK(verdict_of(run, "read-latest") == Verdict::pass);
        }
    }
}

TEST_CASE("lost-increment alone loses nothing: each increment reads the one before's value",
          "[ops][faults]") {
    const AgentRun run = run_scenario(
        scenario_of({with_faults(agent("relock", {repeat_op(50, {op(OpKind::increment)})}),
                                 {{FaultKind::lost_increment, 1.0}})}));
    const auto increments = events_of(run.agent("relock"), OpKind::increment);
    REQUIRE(increments.size() == 50);
    for (std::size_t i = 0; i < increments.size(); ++i) {
        CHECK(increments[i].msg_writer_seq == i);
        CHECK(increments[i].stamp == i + 1); // one stamp each: the second lock takes none
    }
    CHECK(verdict_of(run, "no-lost-update") == Verdict::pass);
    CHECK(verdict_of(run, "mutual-exclusion") == Verdict::pass);
}
