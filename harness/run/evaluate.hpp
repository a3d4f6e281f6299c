// Turns a run's verdicts into a scenario's result: what the scenario required of each
// property, whether that was met, and the scenario's outcome.
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

} // namespace ipch
