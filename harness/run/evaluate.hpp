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

// A threshold: a figure that must be at least or at most its limit, in `unit` ("sections/s",
// "ns", or "" for a ratio such as Jain's index).
enum class Bound { at_least, at_most };
struct Threshold {
    std::string name; // the `expect` key: min_throughput, max_wait_p99, ...
    Bound bound = Bound::at_least;
    double limit = 0;
    std::string unit;
};

// The threshold's row: `value` against the limit, `what` added after the measured figure (" (of
// 12 lock waits)"). A value the run never produced (nullopt) does not meet any limit.
RequirementResult threshold_row(const Threshold& threshold, std::optional<double> value,
                                const std::string& what);

// The rows of the thresholds on a run's figures that `thresholds` gives, in this order:
// min_throughput (sections/s), max_wait_p99 and max_wait (ns), `of_waits` after each wait
// (" (of 12 lock waits)"); nullopt for a figure the run never produced.
std::vector<RequirementResult> figure_rows(const Thresholds& thresholds,
                                           std::optional<double> throughput,
                                           std::optional<std::uint64_t> wait_p99_ns,
                                           std::optional<std::uint64_t> wait_max_ns,
                                           const std::string& of_waits);

// A result's outcome from its properties' and requirements' rows: failed when a property that
// must hold does not, or a requirement is unmet; else a negative control caught or missed when
// one is required to fail; else passed.
ScenarioOutcome outcome_of(const std::vector<PropertyOutcome>& properties,
                           const std::vector<RequirementResult>& requirements);

} // namespace ipch
