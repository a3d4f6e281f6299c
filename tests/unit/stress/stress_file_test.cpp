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
