#include "run/evaluate.hpp"

#include <catch2/catch.hpp>

using namespace ipch;

namespace {

PropertyResult verdict(const char* id, Verdict v) {
    PropertyResult r;
    r.id = id;
    r.verdict = v;
    return r;
}

ScenarioResult evaluate_with(const Expectations& expect, std::vector<PropertyResult> verdicts,
                             bool could_not_run = false) {
    Scenario scenario;
    scenario.name = "s";
    scenario.expect = expect;
    Plan plan;
    RunReport run;
    run.could_not_run = could_not_run;
    return evaluate(scenario, plan, run, std::move(verdicts));
}

} // namespace

TEST_CASE("by default every applicable property must hold", "[evaluate]") {
    const auto ok = evaluate_with({}, {verdict("mutual-exclusion", Verdict::pass),
                                       verdict("delivery", Verdict::not_applicable)});
    CHECK(ok.outcome == ScenarioOutcome::passed);
    CHECK(ok.properties[1].met);

    const auto bad = evaluate_with(
        {}, {verdict("mutual-exclusion", Verdict::fail), verdict("delivery", Verdict::pass)});
    CHECK(bad.outcome == ScenarioOutcome::failed);
    CHECK_FALSE(bad.properties[0].met);
    CHECK(bad.properties[0].requirement == Requirement::hold);
}

TEST_CASE("a negative control passes only when its property is caught failing", "[evaluate]") {
    Expectations control;
    control.fail = {"mutual-exclusion"};
    control.hold = {"progress"};

    const auto caught = evaluate_with(control, {verdict("mutual-exclusion", Verdict::fail),
                                                verdict("read-latest", Verdict::fail),
                                                verdict("progress", Verdict::pass)});
    CHECK(caught.outcome == ScenarioOutcome::control_caught);
    CHECK(caught.properties[1].requirement == Requirement::info);

    const auto missed = evaluate_with(
        control, {verdict("mutual-exclusion", Verdict::pass), verdict("progress", Verdict::pass)});
    CHECK(missed.outcome == ScenarioOutcome::control_missed);

    const auto stuck = evaluate_with(
        control, {verdict("mutual-exclusion", Verdict::fail), verdict("progress", Verdict::fail)});
    CHECK(stuck.outcome == ScenarioOutcome::failed);
}

TEST_CASE("an explicitly required property that was never exercised is not met", "[evaluate]") {
    Expectations expect;
    expect.hold = {"delivery"};
    const auto result = evaluate_with(expect, {verdict("delivery", Verdict::not_applicable)});
    CHECK(result.outcome == ScenarioOutcome::failed);
}

TEST_CASE("a run the harness could not start is a harness error", "[evaluate]") {
    const auto result = evaluate_with({}, {}, true);
    CHECK(result.outcome == ScenarioOutcome::harness_error);
    CHECK(outcome_info(result.outcome).is_failure);
}

TEST_CASE("the exit code follows the worst outcome", "[evaluate]") {
    RunResults results;
    CHECK(exit_code_for(results) == 0);
    results.scenarios.resize(3);
    results.scenarios[0].outcome = ScenarioOutcome::control_caught;
    CHECK(exit_code_for(results) == 0);
    results.scenarios[1].outcome = ScenarioOutcome::failed;
    CHECK(exit_code_for(results) == 1);
    results.scenarios[2].outcome = ScenarioOutcome::harness_error;
    CHECK(exit_code_for(results) == 3);
    results.scenarios[0].outcome = ScenarioOutcome::bad_input;
    CHECK(exit_code_for(results) == 2);
}

TEST_CASE("hold: all requires what applies, and names nothing that must be exercised",
          "[evaluate]") {
    Expectations control;
    control.hold_all = true;
    control.fail = {"mutual-exclusion"};
    const auto caught = evaluate_with(control, {verdict("mutual-exclusion", Verdict::fail),
                                                verdict("no-lost-update", Verdict::not_applicable),
                                                verdict("progress", Verdict::pass)});
    CHECK(caught.outcome == ScenarioOutcome::control_caught);
    CHECK(caught.properties[1].requirement == Requirement::hold);
    CHECK(caught.properties[1].met);

    const auto stuck = evaluate_with(
        control, {verdict("mutual-exclusion", Verdict::fail), verdict("progress", Verdict::fail)});
    CHECK(stuck.outcome == ScenarioOutcome::failed);
    CHECK_FALSE(stuck.properties[1].met);
}

TEST_CASE("an observed property is information, never a failure, whatever was asked",
          "[evaluate]") {
    Expectations named;
    named.hold = {"persistence"};
    Expectations control;
    control.fail = {"mutual-exclusion", "persistence"};
    for (const Expectations& expect : {Expectations{}, named, control}) {
        const auto result = evaluate_with(expect, {verdict("mutual-exclusion", Verdict::fail),
                                                   verdict("persistence", Verdict::observed)});
        CHECK(result.properties[1].requirement == Requirement::info);
        CHECK(result.properties[1].met);
    }
    // Only mutual-exclusion decides: failed under the default, caught under the control.
    CHECK(evaluate_with({}, {verdict("mutual-exclusion", Verdict::fail),
                             verdict("persistence", Verdict::observed)})
              .outcome == ScenarioOutcome::failed);
    CHECK(evaluate_with(control, {verdict("mutual-exclusion", Verdict::fail),
                                  verdict("persistence", Verdict::observed)})
              .outcome == ScenarioOutcome::control_caught);
    CHECK(evaluate_with(named, {verdict("persistence", Verdict::observed)}).outcome ==
          ScenarioOutcome::passed);
}
