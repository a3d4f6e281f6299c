// Thresholds, expected crashes and expected errors: each a requirement row of the results, met
// or not, and an unmet one fails the scenario.
#include "run/evaluate.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <csignal>

using namespace ipch;

namespace {

EventRecord section(std::uint64_t stamp, std::uint64_t requested, std::uint64_t acquired,
                    std::uint64_t released) {
    EventRecord event{};
    event.stamp = stamp;
    event.kind = OpKind::write;
    event.flags = event_flag::critical_section;
    event.t_requested = requested;
    event.t_acquired = acquired;
    event.t_released = released;
    return event;
}

EventRecord failed(OpKind kind, std::int32_t error) {
    EventRecord event{};
    event.kind = kind;
    event.outcome = Outcome::error;
    event.error = error;
    return event;
}

PlanOp leaf(OpKind kind) {
    PlanOp op;
    op.kind = kind;
    return op;
}

// One agent of the run: its history and its plan (the plan says which ops it runs).
struct Agent {
    std::string name;
    std::string group;
    std::vector<EventRecord> events;
    std::vector<PlanOp> ops{leaf(OpKind::write)};
    AgentEnd end = AgentEnd::finished;
    int signal = 0;
};

struct Run {
    Scenario scenario;
    Plan plan;
    RunReport report;
};

Run run_of(const std::vector<Agent>& agents, const Expectations& expect) {
    Run run;
    run.scenario.name = "s";
    run.scenario.expect = expect;
    for (const Agent& a : agents) {
        const auto id = static_cast<std::uint32_t>(run.report.history.agents.size() + 1);
        AgentHistory history = make_agent_history(id, a.name, a.events);
        history.group = a.group.empty() ? a.name : a.group;
        history.end = a.end;
        history.signal = a.signal;
        run.report.history.agents.push_back(std::move(history));
        AgentPlan plan;
        plan.agent_id = id;
        plan.agent_name = a.name;
        plan.group = a.group.empty() ? a.name : a.group;
        plan.ops = a.ops;
        run.plan.agents.push_back(std::move(plan));
    }
    return run;
}

ScenarioResult evaluate_run(Run& run) {
    mark_expected(run.scenario, run.plan, run.report.history);
    return evaluate(run.scenario, run.plan, run.report,
                    check_history(run.report.history, check_options(run.scenario.expect)));
}

// alice: sections with waits 100 and 300 ns; bob: one with wait 200 ns, between them. From
// t=1000 to t=5000: 3 sections in 4 us, 750,000 per second. Shares 2 and 1: Jain (3^2) / (2 * 5)
// = 0.9.
std::vector<Agent> two_writers() {
    return {{"alice", "", {section(1, 900, 1000, 1500), section(3, 2700, 3000, 5000)}},
            {"bob", "", {section(2, 1800, 2000, 2500)}}};
}

Expectations thresholds(double throughput, std::uint64_t p99, std::uint64_t max, double fairness) {
    Expectations expect;
    expect.thresholds.min_throughput = throughput;
    expect.thresholds.max_wait_p99_ns = p99;
    expect.thresholds.max_wait_ns = max;
    expect.thresholds.min_fairness = fairness;
    return expect;
}

const RequirementResult& row(const ScenarioResult& result, const std::string& name) {
    for (const RequirementResult& r : result.requirements)
        if (r.name == name) return r;
    FAIL("no requirement row named " << name);
    throw; // not reached: FAIL throws
}

// min_fairness and max_overtakes are the fairness property's demands, not rows.
const PropertyOutcome& fairness_of(const ScenarioResult& result) {
    for (const PropertyOutcome& p : result.properties)
        if (p.result.id == "fairness") return p;
    FAIL("no fairness result");
    throw; // not reached: FAIL throws
}

} // namespace

TEST_CASE("thresholds that the run reaches are met, one row each", "[evaluate][thresholds]") {
    Run run = run_of(two_writers(), thresholds(700'000, 300, 300, 0.9));
    const ScenarioResult result = evaluate_run(run);
    CHECK(result.outcome == ScenarioOutcome::passed);
    REQUIRE(result.requirements.size() == 3);
    CHECK(result.requirements[0].name == "min_throughput");
    CHECK(result.requirements[1].name == "max_wait_p99");
    CHECK(result.requirements[2].name == "max_wait");
    for (const RequirementResult& r : result.requirements) {
        CHECK(r.met);
        CHECK(r.kind == RequirementKind::threshold);
    }
    const RequirementResult& throughput = row(result, "min_throughput");
    CHECK(*throughput.value == Approx(750'000));
    CHECK(*throughput.limit == 700'000);
    CHECK(throughput.unit == "sections/s");
    CHECK(throughput.detail == "measured 750000 sections/s; required at least 700000 sections/s");
    CHECK(*row(result, "max_wait_p99").value == 300); // rank ceil(0.99 * 3) = 3: the longest
    CHECK(row(result, "max_wait_p99").unit == "ns");
    CHECK(row(result, "max_wait_p99").detail ==
          "measured 300 ns (of 3 lock waits); required at most 300 ns");
    const PropertyOutcome& fairness = fairness_of(result);
    CHECK(fairness.requirement == Requirement::hold);
    CHECK(fairness.met);
    CHECK(fairness.result.detail ==
          "Jain's index 0.9 of 2 agents' critical sections (at least 0.9 required)");
}

TEST_CASE("each threshold the run misses is unmet and fails the scenario",
          "[evaluate][thresholds]") {
    SECTION("throughput") {
        Run run = run_of(two_writers(), {});
        run.scenario.expect.thresholds.min_throughput = 800'000;
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::failed);
        CHECK_FALSE(row(result, "min_throughput").met);
    }
    SECTION("p99 wait") {
        Run run = run_of(two_writers(), {});
        run.scenario.expect.thresholds.max_wait_p99_ns = 299;
        CHECK_FALSE(row(evaluate_run(run), "max_wait_p99").met);
    }
    SECTION("longest wait") {
        Run run = run_of(two_writers(), {});
        run.scenario.expect.thresholds.max_wait_ns = 250;
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::failed);
        CHECK_FALSE(row(result, "max_wait").met);
        CHECK(row(result, "max_wait").detail ==
              "measured 300 ns (of 3 lock waits); required at most 250 ns");
    }
    SECTION("fairness") {
        Run run = run_of(two_writers(), {});
        run.scenario.expect.thresholds.min_fairness = 0.95;
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::failed);
        CHECK(fairness_of(result).result.verdict == Verdict::fail);
        CHECK_FALSE(fairness_of(result).met);
    }
}

TEST_CASE("a threshold on a run without critical sections is not met", "[evaluate][thresholds]") {
    Run run =
        run_of({{"idle", "", {}, {leaf(OpKind::sleep)}}}, thresholds(1, 1'000'000, 1'000'000, 0.5));
    const ScenarioResult result = evaluate_run(run);
    CHECK(result.outcome == ScenarioOutcome::failed);
    CHECK(result.requirements.size() == 3);
    for (const RequirementResult& r : result.requirements) {
        CHECK_FALSE(r.met);
        CHECK_FALSE(r.value);
    }
    // Demanded, fairness must be shown: a run with nothing to judge does not meet it.
    CHECK(fairness_of(result).result.verdict == Verdict::not_applicable);
    CHECK_FALSE(fairness_of(result).met);
    CHECK(row(result, "min_throughput").detail ==
          "no critical section was recorded; required at least 1 sections/s");
    CHECK(row(result, "max_wait").detail ==
          "no critical section was recorded; required at most 1.000 ms");
}

TEST_CASE("fairness counts an agent that takes the lock and starves, not one that never asks",
          "[evaluate][thresholds]") {
    std::vector<Agent> agents = two_writers();
    agents.push_back({"sleeper", "", {}, {leaf(OpKind::sleep), leaf(OpKind::crash)}});
    Run run = run_of(agents, {});
    run.scenario.expect.thresholds.min_fairness = 0.9;
    CHECK(fairness_of(evaluate_run(run)).met); // still 0.9: the sleeper is not counted

    PlanOp repeat;
    repeat.is_repeat = true;
    repeat.ops = {leaf(OpKind::sleep), leaf(OpKind::hold)}; // the lock, inside a repeat
    agents.back().ops = {repeat};
    run = run_of(agents, {});
    run.scenario.expect.thresholds.min_fairness = 0.9;
    // Shares 2, 1, 0: 9 / (3 * 5) = 0.6
    const ScenarioResult result = evaluate_run(run);
    CHECK_FALSE(fairness_of(result).met);
    CHECK(fairness_of(result).result.detail ==
          "Jain's index 0.6 of 3 agents' critical sections (at least 0.9 required)");
}

TEST_CASE("an agent listed in crashes must crash", "[evaluate][crashes]") {
    Expectations expect;
    expect.crashes = {"victim"};
    SECTION("it crashed") {
        Run run =
            run_of({{"victim", "", {}, {leaf(OpKind::write)}, AgentEnd::crashed, SIGKILL}}, expect);
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::passed); // progress accepts it too
        REQUIRE(result.requirements.size() == 1);
        CHECK(result.requirements[0].kind == RequirementKind::crash);
        CHECK(result.requirements[0].name == "expected crash: victim");
        CHECK(result.requirements[0].met);
        CHECK(result.requirements[0].detail == "victim was killed by SIGKILL, as expected");
    }
    SECTION("it finished") {
        Run run = run_of({{"victim", "", {}}}, expect);
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::failed);
        CHECK_FALSE(result.requirements[0].met);
        CHECK(result.requirements[0].detail == "expected 'victim' to crash; victim finished");
    }
    SECTION("one agent of a listed group did not") {
        Run run = run_of({{"victim-1", "victim", {}, {}, AgentEnd::crashed, SIGKILL},
                          {"victim-2", "victim", {}, {}, AgentEnd::error_exit}},
                         expect);
        run.report.history.agents[1].exit_code = 1;
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::failed);
        CHECK(result.requirements[0].detail ==
              "expected 'victim' to crash; victim-2 exited with code 1");
    }
}

TEST_CASE("an unexpected crash still fails progress, and a crash op makes its own crash expected",
          "[evaluate][crashes]") {
    Run unexpected = run_of({{"a", "", {}, {leaf(OpKind::write)}, AgentEnd::crashed, SIGKILL}}, {});
    CHECK(evaluate_run(unexpected).outcome == ScenarioOutcome::failed);

    PlanOp repeat;
    repeat.is_repeat = true;
    repeat.ops = {leaf(OpKind::write), leaf(OpKind::crash)};
    Run crash_op = run_of({{"a", "", {}, {repeat}, AgentEnd::crashed, SIGKILL}}, {});
    mark_expected(crash_op.scenario, crash_op.plan, crash_op.report.history);
    CHECK(crash_op.report.history.agents[0].expected_crash);
    const ScenarioResult result = evaluate_run(crash_op);
    CHECK(result.outcome == ScenarioOutcome::passed);
    CHECK(result.requirements.empty()); // allowed to crash, not required to
}

TEST_CASE("an expected error must happen, and is then no failure", "[evaluate][errors]") {
    Expectations expect;
    expect.errors.push_back({{}, "late", "open", "not found"});
    SECTION("it happened, and stopped the agent") {
        Run run = run_of({{"late",
                           "",
                           {failed(OpKind::open, ENOENT)},
                           {leaf(OpKind::read)},
                           AgentEnd::error_exit}},
                         expect);
        run.report.history.agents[0].exit_code = 1;
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::passed);
        REQUIRE(result.requirements.size() == 1);
        CHECK(result.requirements[0].kind == RequirementKind::error);
        CHECK(result.requirements[0].name == "expected error: late, open, not found");
        CHECK(result.requirements[0].met);
        CHECK(result.requirements[0].detail == "late got 'not found' from open, as expected");
    }
    SECTION("the open succeeded") {
        EventRecord opened{};
        opened.kind = OpKind::open;
        Run run = run_of({{"late", "", {opened}}}, expect);
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::failed);
        CHECK_FALSE(result.requirements[0].met);
        CHECK(result.requirements[0].detail ==
              "expected agent 'late' to get 'not found' from open; it did not (its open ended "
              "ok)");
    }
    SECTION("another error") {
        Run run = run_of({{"late", "", {failed(OpKind::open, EACCES)}, {}, AgentEnd::error_exit}},
                         expect);
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.outcome == ScenarioOutcome::failed);
        CHECK(result.requirements[0].detail ==
              "expected agent 'late' to get 'not found' from open; it did not (its open failed "
              "with 'permission denied')");
    }
    SECTION("by group name, from one of its agents") {
        expect.errors[0].agent = "late";
        Run run =
            run_of({{"late-1", "late", {}},
                    {"late-2", "late", {failed(OpKind::open, ENOENT)}, {}, AgentEnd::error_exit}},
                   expect);
        const ScenarioResult result = evaluate_run(run);
        CHECK(result.requirements[0].met);
        CHECK(result.outcome == ScenarioOutcome::passed);
    }
}

TEST_CASE("an unmet requirement fails a negative control that caught its property", "[evaluate]") {
    Expectations expect;
    expect.fail = {"progress"};
    expect.crashes = {"victim"};
    Run run = run_of({{"victim", "", {failed(OpKind::write, EIO)}}}, expect);
    const ScenarioResult result = evaluate_run(run);
    const auto progress =
        std::find_if(result.properties.begin(), result.properties.end(),
                     [](const PropertyOutcome& p) { return p.result.id == "progress"; });
    REQUIRE(progress != result.properties.end());
    CHECK(progress->result.verdict == Verdict::fail);
    CHECK(progress->met); // as the control wanted
    CHECK(result.outcome == ScenarioOutcome::failed);
}

TEST_CASE("a group that skips the lock in a locked run is left out of the lock's figures",
          "[evaluate][thresholds]") {
    std::vector<Agent> agents = two_writers();
    // rogue writes without the lock: its "sections" are no critical sections of the lock.
    agents.push_back({"rogue", "", {section(4, 5000, 5000, 9000), section(5, 9000, 9000, 9100)}});
    Run run = run_of(agents, thresholds(700'000, 300, 300, 0.9));
    run.plan.mutex_kind = MutexKind::named_mutex;
    run.plan.agents.back().mutex_kind = MutexKind::none;
    const ScenarioResult skipped = evaluate_run(run);
    CHECK(*row(skipped, "min_throughput").value == Approx(750'000.0)); // alice and bob alone
    CHECK(fairness_of(skipped).result.detail.starts_with("Jain's index 0.9 of 2 agents'"));

    // The same agent under the run's lock counts: 5 sections from 1000 to 9100 ns, shares 2 1 2.
    run.plan.agents.back().mutex_kind = MutexKind::named_mutex;
    const ScenarioResult locked = evaluate_run(run);
    CHECK(*row(locked, "min_throughput").value == Approx(5 / 8100e-9));
    CHECK(fairness_of(locked).result.detail.starts_with("Jain's index 0.926 of 3 agents'"));
}
