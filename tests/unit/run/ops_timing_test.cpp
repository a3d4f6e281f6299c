// sleep {min, max} (seeded jitter) and repeat {duration}.
#include "agent_runs.hpp"
#include "check.hpp"
#include "ipch/mapping_layout.hpp"
#include "jitter.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

using namespace ipch;
using namespace ipch::test;

namespace {

constexpr std::uint64_t ms = 1'000'000;

std::vector<std::uint64_t> draws(std::uint64_t seed, int n, std::uint64_t min, std::uint64_t max) {
    Jitter jitter(seed);
    std::vector<std::uint64_t> out;
    for (int i = 0; i < n; ++i)
        out.push_back(jitter.draw(min, max));
    return out;
}

} // namespace

TEST_CASE("jitter: the same seed draws the same durations, another seed others", "[ops]") {
    const auto a = draws(42, 100, 1000, 5000);
    CHECK(a == draws(42, 100, 1000, 5000));
    CHECK(a != draws(43, 100, 1000, 5000));
    for (const std::uint64_t value : a) {
        CHECK(value >= 1000);
        CHECK(value <= 5000);
    }
    // Both ends are reachable, and nothing is drawn for a fixed duration.
    const auto small = draws(7, 200, 0, 1);
    CHECK(std::count(small.begin(), small.end(), 0u) > 0);
    CHECK(std::count(small.begin(), small.end(), 1u) > 0);
    CHECK(draws(7, 3, 9, 9) == std::vector<std::uint64_t>{9, 9, 9});
}

TEST_CASE("an agent's sleeps follow the draws of its plan's seed", "[ops]") {
    const int n = 16;
    const Scenario scenario =
        scenario_of({agent("a", {repeat_op(n, {sleep_op(2 * ms, 30 * ms)})})});
    const AgentRun run = run_scenario(scenario, 11);
    const auto sleeps = events_of(run.agent("a"), OpKind::sleep);
    REQUIRE(sleeps.size() == n);
    const auto mine = draws(run.plan.agents[0].seed, n, 2 * ms, 30 * ms);
    const auto other =
        draws(make_plan(scenario, "x", "/tmp/x", 12).agents[0].seed, n, 2 * ms, 30 * ms);
    bool other_fits = true;
    for (int i = 0; i < n; ++i) {
        const std::uint64_t slept = sleeps[i].t_released - sleeps[i].t_requested;
        INFO("sleep " << i << ": drew " << mine[i] << " ns, slept " << slept << " ns");
        CHECK(slept >= mine[i]);
        CHECK(slept < mine[i] + 50 * ms); // a loaded machine wakes late, never early
        other_fits = other_fits && slept >= other[i];
    }
    // The other seed's draws do not explain these sleeps (some would have been cut short).
    CHECK_FALSE(other_fits);
}

TEST_CASE("repeat {duration} repeats its ops until the time is up", "[ops]") {
    const AgentRun run =
        run_scenario(scenario_of({agent("a", {repeat_for(100 * ms, {sleep_op(5 * ms)})})}));
    const auto sleeps = events_of(run.agent("a"), OpKind::sleep);
    INFO(sleeps.size() << " iterations");
    REQUIRE(sleeps.size() >= 2);
    CHECK(sleeps.size() <= 20);
    const std::uint64_t start = sleeps.front().t_requested;
    CHECK(sleeps.back().t_requested < start + 100 * ms); // begun within the time
    CHECK(sleeps.back().t_released >= start + 100 * ms); // and the time is used up
}

TEST_CASE("sampled timing: every k-th write is stamped and recorded, the rest counted in a tally",
          "[ops][timing]") {
    const Scenario scenario =
        scenario_of({agent("a", {repeat_op(1000, {write_sized(64, "x")})}, 2)});
    const AgentRun run = run_scenario(scenario, 5, [](Plan& plan) {
        for (AgentPlan& agent : plan.agents) {
            agent.timing = TimingMode::sampled;
            agent.sample_every = 10;
        }
    });
    std::vector<std::uint64_t> stamps;
    for (const char* name : {"a-1", "a-2"}) {
        const auto writes = events_of(run.agent(name), OpKind::write);
        std::uint64_t stamped = 0, tallied = 0;
        for (const EventRecord& event : writes) {
            if (has_flags(event, event_flag::tally)) {
                tallied += event.msg_writer_seq;
                CHECK_FALSE(has_flags(event, event_flag::critical_section));
                continue;
            }
            REQUIRE(has_flags(event, event_flag::critical_section | event_flag::written));
            // The 1st, 11th, 21st, ... write: the others still took their writer_seq.
            CHECK(event.msg_writer_seq == 10 * stamped + 1);
            ++stamped;
            stamps.push_back(event.stamp);
        }
        CHECK(stamped == 100);
        CHECK(tallied == 900);
        CHECK(stamped + tallied == 1000); // every write counted
    }
    // Only the stamped sections take a lock-order stamp: 1..200, no gap for the checker.
    std::sort(stamps.begin(), stamps.end());
    for (std::size_t i = 0; i < stamps.size(); ++i)
        CHECK(stamps[i] == i + 1);
    for (const PropertyResult& verdict : check_history(run.report.history))
        CHECK(verdict.verdict != Verdict::fail);
}

TEST_CASE("full timing: every write is stamped, no tally", "[ops][timing]") {
    const AgentRun run =
        run_scenario(scenario_of({agent("a", {repeat_op(200, {write_sized(64, "x")})})}));
    const auto writes = events_of(run.agent("a"), OpKind::write);
    REQUIRE(writes.size() == 200);
    for (const EventRecord& event : writes)
        CHECK_FALSE(has_flags(event, event_flag::tally));
}

TEST_CASE("a crashed agent's log says which clock stamped its times, and how far off they may be",
          "[ops][timing]") {
    // Before the fix its header's clock report was all zero: clock_gettime, error 0, over TSC
    // times that were never corrected.
    const AgentRun run =
        run_scenario(scenario_of({agent("a", {repeat_op(50, {write_op("x")}), sleep_op(20 * ms),
                                              crash_op(CrashPoint::holding_lock)})}));
    const AgentHistory& a = run.agent("a");
    REQUIRE(a.end == AgentEnd::crashed);
    INFO("fallback: " << to_string(a.clock.fallback));
    if (a.clock.source == ClockSource::tsc) {
        CHECK(a.clock.provisional == 1);
        // At least the rate uncertainty's 1 ppm floor over the 20 ms slept since the run began.
        CHECK(a.clock.error_ns > 20);
        CHECK(clock_tolerance_ns(run.report.history.agents) >= a.clock.error_ns);
    } else {
        // No TSC here: the reason is recorded as it would have been at the end.
        CHECK(a.clock.fallback != ClockFallback::none);
    }
}

namespace {

// The fields of a write's event that do not depend on the clock, as write() records them: the
// section's flags, the op instance, the message, the stamp and the owner word found.
struct WriteFields {
    std::uint32_t flags, op_id;
    std::uint64_t seq;
    std::uint32_t writer, length;
    std::uint64_t writer_seq, checksum, stamp;
    std::uint32_t owner_seen;
    bool operator==(const WriteFields&) const = default;
};

std::vector<WriteFields> write_fields(const AgentHistory& agent) {
    std::vector<WriteFields> fields;
    for (const EventRecord& event : events_of(agent, OpKind::write)) {
        CHECK(event.t_requested <= event.t_acquired);
        CHECK(event.t_acquired <= event.t_released);
        fields.push_back({event.flags, event.op_id, event.seq, event.msg_writer, event.msg_length,
                          event.msg_writer_seq, event.msg_checksum, event.stamp, event.owner_seen});
    }
    return fields;
}

} // namespace

TEST_CASE("the stress loop records every write as write() does", "[ops][timing]") {
    // A repeat of one write runs through the stress loop (Executor::run_writes: stamped sections
    // in one tight loop); a repeat of a write and a sleep runs each write through write(). One
    // agent: the stamps and owner words are then the same in both runs.
    const AgentRun fast =
        run_scenario(scenario_of({agent("a", {repeat_op(300, {write_sized(64, "x")})})}));
    const AgentRun general = run_scenario(
        scenario_of({agent("a", {repeat_op(300, {write_sized(64, "x"), sleep_op(0)})})}));
    const std::vector<WriteFields> mine = write_fields(fast.agent("a"));
    REQUIRE(mine.size() == 300);
    std::vector<WriteFields> expected = write_fields(general.agent("a"));
    REQUIRE(expected.size() == 300);
    const std::string payload(64, 'x');
    for (std::size_t i = 0; i < mine.size(); ++i) {
        INFO("write " << i);
        CHECK(mine[i].flags == (event_flag::critical_section | event_flag::written));
        CHECK(mine[i].writer_seq == i + 1);
        CHECK(mine[i].stamp == i + 1);
        CHECK(mine[i].checksum == message_checksum(payload.data(), payload.size()));
        // The general run's seqs count its sleeps too.
        expected[i].op_id = mine[i].op_id;
        expected[i].seq = mine[i].seq;
        CHECK(mine[i] == expected[i]);
    }
    for (std::size_t i = 1; i < mine.size(); ++i)
        CHECK(mine[i].seq == mine[i - 1].seq + 1);
}
