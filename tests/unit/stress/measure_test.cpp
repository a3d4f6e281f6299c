// A case's figures on small histories whose answers are worked out by hand.
#include "stress/stress.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::stress;

namespace {

// A section of op `op_id`: asked at `requested`, in at `acquired`, out at `released`.
EventRecord section(std::uint32_t op_id, std::uint64_t stamp, std::uint64_t requested,
                    std::uint64_t acquired, std::uint64_t released) {
    EventRecord event{};
    event.kind = OpKind::write;
    event.op_id = op_id;
    event.flags = event_flag::critical_section;
    event.stamp = stamp;
    event.t_requested = requested;
    event.t_acquired = acquired;
    event.t_released = released;
    return event;
}

History history_of(std::vector<std::vector<EventRecord>> agents) {
    History history;
    for (std::size_t i = 0; i < agents.size(); ++i)
        history.agents.push_back(make_agent_history(static_cast<std::uint32_t>(i + 1),
                                                    "agent-" + std::to_string(i + 1),
                                                    std::move(agents[i])));
    return history;
}

} // namespace

TEST_CASE("measure: waits, holds, hand-offs in stamp order, runs and fairness") {
    // Op 1 is measured. Lock order: a1(1) b1(2) b2(3) a2(4).
    const History history = history_of({
        {section(1, 1, 0, 10, 20), section(1, 4, 25, 100, 130)},
        {section(1, 2, 5, 30, 35), section(1, 3, 36, 40, 90)},
    });
    const CaseFigures figures = measure(history, {{1}, {1}});
    CHECK(figures.acquisitions == 4);
    CHECK(figures.per_agent == std::vector<std::uint64_t>{2, 2});
    CHECK(figures.jain == Approx(1.0));
    // Waits 10, 75, 25, 4: the longest is agent 1's 75.
    CHECK(figures.wait.count() == 4);
    CHECK(figures.wait.max() == 75u);
    CHECK(figures.longest_wait_ns == 75);
    CHECK(figures.longest_wait_agent == 1);
    // Holds 10, 30, 5, 50.
    CHECK(figures.hold.min() == 5u);
    CHECK(figures.hold.max() == 50u);
    // Hand-offs: 30-20 = 10, 40-35 = 5, 100-90 = 10.
    CHECK(figures.handoff.count() == 3);
    CHECK(figures.handoff.min() == 5u);
    CHECK(figures.handoff.max() == 10u);
    // b1 b2 is the longest run.
    CHECK(figures.longest_run == 2);
    CHECK(figures.longest_run_agent == 2);
    // 4 sections from 10 to 130 ns.
    CHECK(figures.measured_s == Approx(120e-9));
    REQUIRE(figures.throughput);
    CHECK(*figures.throughput == Approx(4 / 120e-9));
}

TEST_CASE("measure: the warmup's sections are left out, and cut hand-offs and runs") {
    // Op 1 is the warmup, op 2 measured. Lock order: a-warm(1) b-warm(2) a(3) a(4) b-warm(5) a(6).
    const History history = history_of({
        {section(1, 1, 0, 0, 1), section(2, 3, 2, 4, 5), section(2, 4, 5, 6, 7),
         section(2, 6, 9, 12, 13)},
        {section(1, 2, 0, 2, 3), section(1, 5, 3, 8, 9)}, // b's warmup ends late: stamp 5
    });
    const CaseFigures figures = measure(history, {{2}, {2}});
    CHECK(figures.acquisitions == 3);
    CHECK(figures.per_agent == std::vector<std::uint64_t>{3, 0});
    // 3 -> 4 is a hand-off (6 - 5 = 1); 4 -> 6 has the warmup's 5 between: none.
    CHECK(figures.handoff.count() == 1);
    CHECK(figures.handoff.max() == 1u);
    // a(3) a(4) is a run of 2; a(6) starts a new one after the unmeasured 5.
    CHECK(figures.longest_run == 2);
    // One agent got everything: Jain 1/n.
    CHECK(figures.jain == Approx(0.5));
}

TEST_CASE("measure: a section cut short by a crash is not counted, no sections give no figures") {
    EventRecord crashed = section(1, 1, 0, 1, 0);
    crashed.flags |= event_flag::unreleased;
    const CaseFigures figures = measure(history_of({{crashed}}), {{1}});
    CHECK(figures.acquisitions == 0);
    CHECK_FALSE(figures.throughput);
    CHECK_FALSE(figures.jain);
    CHECK(figures.wait.count() == 0);
    CHECK(figures.longest_run == 0);
}

// Sampled timing's count of op `op_id` instances that ran unstamped, written at `at`.
EventRecord tally(std::uint32_t op_id, std::uint64_t count, std::uint64_t at) {
    EventRecord event{};
    event.kind = OpKind::write;
    event.op_id = op_id;
    event.flags = event_flag::tally;
    event.msg_writer_seq = count;
    event.t_requested = event.t_released = at;
    return event;
}

TEST_CASE("measure: sampled timing counts every section, the distributions only the stamped") {
    // Agent 1: 2 stamped sections and 126 unstamped; agent 2: 1 stamped and 63 unstamped. The
    // warmup's op 0 has a tally too, not counted. Contiguous stamps: only stamped ones take one.
    const History history = history_of({
        {tally(0, 500, 1), section(1, 1, 0, 10, 20), section(1, 3, 50, 60, 70),
         tally(1, 126, 1000)},
        {section(1, 2, 5, 30, 40), tally(1, 63, 900)},
    });
    const CaseFigures figures = measure(history, {{1}, {1}});
    CHECK(figures.acquisitions == 128 + 64);
    CHECK(figures.per_agent == std::vector<std::uint64_t>{128, 64});
    CHECK(figures.stamped == 3);
    // Jain from the exact counts: (192)^2 / (2 * (128^2 + 64^2)) = 0.9.
    CHECK(*figures.jain == Approx(0.9));
    // The span is the first stamped acquire (10) to the last tally (1000).
    CHECK(figures.measured_s == Approx(990e-9));
    CHECK(*figures.throughput == Approx(192 / 990e-9));
    CHECK(figures.wait.count() == 3);
    CHECK(figures.hold.count() == 3);
    CHECK(figures.longest_wait_ns == 25);
    // Unstamped sections may lie between stamps 1, 2 and 3: no hand-offs, no runs.
    CHECK_FALSE(figures.lock_order_measured);
    CHECK(figures.handoff.count() == 0);
    CHECK(figures.longest_run == 0);
}

TEST_CASE("measure: the clocks of a case's agents, from their logs' reports") {
    History history = history_of({{}, {}, {}});
    history.agents[0].clock.source = ClockSource::tsc;
    history.agents[0].clock.drift_ns = -300;
    history.agents[0].clock.error_ns = 40;
    history.agents[0].clock.tsc_khz = 2'200'000;
    history.agents[1].clock.source = ClockSource::tsc;
    history.agents[1].clock.drift_ns = 1200;
    history.agents[1].clock.error_ns = 25;
    history.agents[2].clock.fallback = ClockFallback::calibration;
    const CaseClock clock = case_clock(history);
    CHECK(clock.tsc_agents == 2);
    CHECK(clock.monotonic_agents == 1);
    CHECK(clock.max_drift_ns == 1200);
    CHECK(clock.max_error_ns == 40);
    CHECK(clock.tsc_khz == 2'200'000);
    CHECK(clock.fallback == "calibration");
    CHECK_FALSE(clock.disagreed);
    CHECK(clock_text(clock) == "tsc+monotonic");
    CHECK(clock_text(case_clock(history_of({{}}))) == "monotonic");
    // An agent that died before its run began (no event, its log's header all zero) read no
    // clock; one with events and no report (an external agent's log) read CLOCK_MONOTONIC.
    CHECK(case_clock(history_of({{}})).monotonic_agents == 0);
    const CaseClock external = case_clock(history_of({{section(1, 1, 0, 10, 20)}}));
    CHECK(external.monotonic_agents == 1);
    CHECK(clock_reason(external) == "clock_gettime for every time (no TSC report in the log)");
    // A sweep's line: its cases' clocks together, the rate and the reason from the first case
    // that has one (a later case's other rate and reason do not replace them), the drift of
    // largest magnitude with its sign.
    CaseClock all = case_clock(history_of({{}}));
    add_clock(all, clock);
    History later = history_of({{}, {}});
    later.agents[0].clock.source = ClockSource::tsc;
    later.agents[0].clock.drift_ns = -5000;
    later.agents[0].clock.tsc_khz = 3'000'000;
    later.agents[1].clock.fallback = ClockFallback::not_invariant;
    add_clock(all, case_clock(later));
    CHECK(all.tsc_agents == 3);
    CHECK(all.monotonic_agents == 2);
    CHECK(all.max_drift_ns == -5000);
    CHECK(all.max_error_ns == 40);
    CHECK(all.tsc_khz == 2'200'000);
    CHECK(all.fallback == "calibration");
}

TEST_CASE("stress_scenario: a write per section, or lock write hold unlock, warmup first") {
    StressConfig config;
    config.payload_bytes = 100;
    config.duration_ns = 200'000'000;
    Scenario plain = stress_scenario(config, CaseKey{MutexKind::spin, 3, 2});
    CHECK(plain.case_name == "stress[backend=spin,agents=3,repeat=2]");
    CHECK(plain.mutex.kind == MutexKind::spin);
    REQUIRE(plain.agents.size() == 1);
    CHECK(plain.agents[0].count == 3);
    REQUIRE(plain.agents[0].ops.size() == 1);
    const OpSpec& repeat = plain.agents[0].ops[0];
    CHECK(repeat.is_repeat);
    CHECK(repeat.duration_ns == 200'000'000);
    REQUIRE(repeat.ops.size() == 1);
    CHECK(repeat.ops[0].kind == OpKind::write);
    CHECK(repeat.ops[0].size == 100);

    config.hold_ns = 2000;
    config.warmup_ns = 50'000'000;
    Scenario held = stress_scenario(config, CaseKey{MutexKind::spin, 1, 1});
    REQUIRE(held.agents[0].ops.size() == 2);
    CHECK(held.agents[0].ops[0].duration_ns == 50'000'000);
    const std::vector<OpSpec>& body = held.agents[0].ops[1].ops;
    REQUIRE(body.size() == 4);
    CHECK(body[0].kind == OpKind::lock);
    CHECK(body[1].kind == OpKind::write);
    CHECK(body[2].kind == OpKind::hold);
    CHECK(body[2].duration_ns == 2000);
    CHECK(body[3].kind == OpKind::unlock);

    // The plan's measured ops: the second repeat's subtree, not the warmup's.
    const Plan plan = make_plan(held, "r1", "/tmp/ipch-stress-test", 1);
    const std::vector<std::uint32_t> ids = measured_op_ids(plan.agents[0]);
    REQUIRE(ids.size() == 5);
    CHECK(ids.front() == plan.agents[0].ops[1].id);
    CHECK(ids.back() == plan.agents[0].ops[1].ops[3].id);
}
