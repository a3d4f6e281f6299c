// A `kind: stress` case as a result of `ipc-harness run`: its name, outcome and figures, from a
// StressCase built by hand (the integration tests run real ones).
#include "stress/stress_file.hpp"

#include <catch2/catch.hpp>

using namespace ipch;
using namespace ipch::stress;

namespace {

Scenario sweep_scenario() {
    Scenario scenario;
    scenario.path = "sweep.yaml";
    scenario.name = scenario.case_name = "sweep";
    scenario.stress = StressSpec{};
    scenario.stress->backends = {MutexKind::spin, MutexKind::none};
    scenario.stress->agents = {1, 2};
    scenario.stress->repeat = 2;
    return scenario;
}

PropertyResult verdict(const std::string& id, Verdict value) {
    PropertyResult result;
    result.id = id;
    result.verdict = value;
    return result;
}

StressCase ran_case() {
    StressCase c;
    c.key = {MutexKind::none, 2, 1};
    c.figures.acquisitions = 1000;
    c.figures.stamped = 16;
    c.figures.throughput = 5000.0;
    c.figures.wait.record(40);
    c.figures.lock_order_measured = false;
    c.clock.tsc_agents = 2;
    c.clock.max_error_ns = 80;
    c.verdicts = {verdict("mutual-exclusion", Verdict::pass),
                  verdict("no-torn-read", Verdict::not_applicable),
                  verdict("linearizability", Verdict::unknown)};
    return c;
}

} // namespace

TEST_CASE("a sweep's cases: repeats outermost, then backends, then agent counts", "[stress]") {
    const std::vector<CaseKey> keys = case_keys(*sweep_scenario().stress);
    REQUIRE(keys.size() == 8);
    CHECK(keys[0].backend == MutexKind::spin);
    CHECK(keys[1].agents == 2);
    CHECK(keys[2].backend == MutexKind::none);
    CHECK(keys[4].repeat == 2);
    const std::vector<Scenario> listed = listed_cases(sweep_scenario());
    REQUIRE(listed.size() == 8);
    CHECK(listed[3].case_name == "sweep[backend=none,agents=2,repeat=1]");
    CHECK(listed[3].stress->agents == std::vector<std::uint32_t>{2});
    Scenario plain;
    plain.case_name = "plain";
    CHECK(listed_cases(plain).size() == 1);
}

TEST_CASE("a stress case that held: passed, with its figures and clock", "[stress]") {
    const ScenarioResult result = stress_result(sweep_scenario(), ran_case());
    CHECK(result.name == "sweep[backend=none,agents=2,repeat=1]");
    CHECK(result.outcome == ScenarioOutcome::passed);
    REQUIRE(result.parameters.size() == 3);
    CHECK(result.parameters[0].name == "backend");
    CHECK(result.parameters[0].value == "none");
    CHECK(result.critical_sections == 1000);
    REQUIRE(result.clock);
    CHECK(result.clock->max_error_ns == 80);
    REQUIRE(result.stress);
    CHECK(result.stress->acquisitions == 1000);
    CHECK(result.stress->wait->count == 1);
    CHECK_FALSE(result.stress->hold);
    CHECK_FALSE(result.stress->longest_run); // sampled: no lock order
    // Judged properties must hold; not-applicable and unknown are information.
    REQUIRE(result.properties.size() == 3);
    CHECK(result.properties[0].requirement == Requirement::hold);
    CHECK(result.properties[1].requirement == Requirement::info);
    CHECK(result.properties[2].requirement == Requirement::info);
}

TEST_CASE("a stress case whose property failed fails and one that could not run is an error",
          "[stress]") {
    StressCase failed = ran_case();
    failed.verdicts[0].verdict = Verdict::fail;
    const ScenarioResult result = stress_result(sweep_scenario(), failed);
    CHECK(result.outcome == ScenarioOutcome::failed);
    CHECK_FALSE(result.properties[0].met);

    StressCase broken;
    broken.key = {MutexKind::spin, 1, 2};
    broken.could_not_run = true;
    broken.errors = {"cannot start ipc-agent"};
    const ScenarioResult error = stress_result(sweep_scenario(), broken);
    CHECK(error.outcome == ScenarioOutcome::harness_error);
    CHECK(error.messages == std::vector<std::string>{"cannot start ipc-agent"});
    CHECK_FALSE(error.clock);
    CHECK_FALSE(error.stress);

    Scenario matrix_case = sweep_scenario();
    matrix_case.case_name = "sweep[hold=2us]";
    matrix_case.parameters = {{"hold", "2us", false}};
    CHECK(stress_result(matrix_case, broken).name ==
          "sweep[hold=2us,backend=spin,agents=1,repeat=2]");
}

TEST_CASE("a stress file's thresholds: each a row, judged on every case's figures", "[stress]") {
    Scenario scenario = sweep_scenario();
    Thresholds& limits = scenario.expect.thresholds;
    limits.min_throughput = 4000; // measured 5000
    limits.max_wait_p99_ns = 30;  // the one stamped wait is 40 ns: not met
    limits.max_wait_ns = 1000;    // met
    limits.min_fairness = 0.9996; // Jain's index of {600, 400} is 0.9615...: not met
    StressCase c = ran_case();
    c.figures.per_agent = {600, 400};
    c.figures.jain = 1e6 / (2 * (600.0 * 600 + 400.0 * 400));
    const ScenarioResult result = stress_result(scenario, c);
    CHECK(result.outcome == ScenarioOutcome::failed);
    REQUIRE(result.requirements.size() == 4);
    CHECK(result.requirements[0].name == "min_throughput");
    CHECK(result.requirements[0].met);
    CHECK(result.requirements[0].detail ==
          "measured 5000 sections/s; required at least 4000 sections/s");
    CHECK(result.requirements[1].name == "max_wait_p99");
    CHECK_FALSE(result.requirements[1].met);
    CHECK(result.requirements[1].detail ==
          "measured 40 ns (of 1 stamped lock waits); required at most 30 ns");
    CHECK(result.requirements[2].met);
    CHECK(result.requirements[3].name == "min_fairness");
    CHECK_FALSE(result.requirements[3].met);
    CHECK(result.requirements[3].detail ==
          "measured 0.962 (Jain's index of 2 agents' sections); required at least 0.9996");

    // Every limit met, the properties held: passed.
    limits.max_wait_p99_ns = 40;
    limits.min_fairness = 0.95;
    CHECK(stress_result(scenario, c).outcome == ScenarioOutcome::passed);

    // A ratio is shown with the decimals that put it on its side of the limit.
    c.figures.jain = 0.99961;
    limits.min_fairness = 1;
    CHECK(stress_result(scenario, c).requirements[3].detail ==
          "measured 0.9996 (Jain's index of 2 agents' sections); required at least 1");
    c.figures.jain = 0.99955;
    limits.min_fairness = 0.9996;
    CHECK(stress_result(scenario, c).requirements[3].detail ==
          "measured 0.99955 (Jain's index of 2 agents' sections); required at least 0.9996");

    // A case with no section has no figures, and meets no limit.
    StressCase idle = ran_case();
    idle.figures = CaseFigures{};
    const ScenarioResult none = stress_result(scenario, idle);
    CHECK(none.outcome == ScenarioOutcome::failed);
    for (const RequirementResult& row : none.requirements) {
        INFO(row.name);
        CHECK_FALSE(row.met);
        CHECK(row.detail.starts_with("no critical section was recorded"));
    }
}
