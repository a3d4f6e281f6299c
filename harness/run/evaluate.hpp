// Turns a run's verdicts into a scenario's result: what the scenario required of each
// property and each threshold, expected crash and expected error, whether that was met, and
// the scenario's outcome.
#pragma once

#include "check.hpp"
#include "plan.hpp"
#include "results.hpp"
#include "run.hpp"
#include "scenario.hpp"

#include <vector>

namespace ipch {

ScenarioResult evaluate(const Scenario& scenario, const Plan& plan, const RunReport& run,
                        std::vector<PropertyResult> verdicts);

// The requirement a scenario places on one property.
Requirement requirement_for(const Expectations& expect, std::string_view property);

// What the checker is told from the scenario: the fairness property's demands.
CheckOptions check_options(const Expectations& expect);

// Tells the checker what the scenario expects of each agent, before the history is checked: a
// crash (a crash op anywhere in its ops, or its name or group in expect.crashes) and the errors
// expect.errors names for it (progress does not count those as failures); and whether its ops
// ask for the lock under test (AgentHistory::shares_lock).
void mark_expected(const Scenario& scenario, const Plan& plan, History& history);

// One row per threshold, expected crash and expected error of the scenario, in that order:
// what the run showed against what was expected, over a history mark_expected has marked.
// (evaluate calls it.)
std::vector<RequirementResult> evaluate_requirements(const Scenario& scenario,
                                                     const History& history);

} // namespace ipch
