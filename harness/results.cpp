#include "results.hpp"

#include <algorithm>
#include <array>
#include <cassert>

namespace ipch {

namespace {

// Every report reads outcomes from this one table.
constexpr std::array<OutcomeInfo, 6> outcome_table{{
    {ScenarioOutcome::passed, "passed", "PASS", false},
    {ScenarioOutcome::control_caught, "control-caught", "PASS (control caught)", false},
    {ScenarioOutcome::failed, "failed", "FAIL", true},
    {ScenarioOutcome::control_missed, "control-missed", "FAIL (control missed)", true},
    {ScenarioOutcome::bad_input, "bad-input", "BAD INPUT", true},
    {ScenarioOutcome::harness_error, "harness-error", "HARNESS ERROR", true},
}};

} // namespace

const OutcomeInfo& outcome_info(ScenarioOutcome outcome) {
    const auto it = std::find_if(outcome_table.begin(), outcome_table.end(),
                                 [&](const OutcomeInfo& info) { return info.outcome == outcome; });
    assert(it != outcome_table.end() && "the table lists every ScenarioOutcome");
    return *it;
}

std::string_view to_string(Requirement requirement) {
    switch (requirement) {
    case Requirement::hold:
        return "must-hold";
    case Requirement::fail:
        return "must-fail";
    case Requirement::info:
        return "info";
    }
    return "unknown";
}

std::string_view to_string(RequirementKind kind) {
    switch (kind) {
    case RequirementKind::threshold:
        return "threshold";
    case RequirementKind::crash:
        return "expected-crash";
    case RequirementKind::error:
        return "expected-error";
    }
    return "unknown";
}

int exit_code_for(const RunResults& results) {
    if (results.interrupted()) return 128 + results.interrupt_signal;
    const auto any = [&](ScenarioOutcome outcome) {
        return std::any_of(results.scenarios.begin(), results.scenarios.end(),
                           [&](const ScenarioResult& s) { return s.outcome == outcome; });
    };
    if (any(ScenarioOutcome::bad_input)) return 2;
    if (any(ScenarioOutcome::harness_error)) return 3;
    const bool failed =
        std::any_of(results.scenarios.begin(), results.scenarios.end(),
                    [](const ScenarioResult& s) { return outcome_info(s.outcome).is_failure; });
    return failed ? 1 : 0;
}

} // namespace ipch
