#include "run/evaluate.hpp"

#include <algorithm>

namespace ipch {

namespace {

bool listed(const std::vector<std::string>& ids, std::string_view id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

bool fairness_demanded(const Expectations& expect) {
    return expect.thresholds.min_fairness.has_value() ||
           expect.thresholds.max_overtakes.has_value();
}

// The scenario names the property in `hold` or `fail` (not just through `hold: all`), or sets a
// limit it must be judged by.
bool names(const Expectations& expect, std::string_view property) {
    return listed(expect.hold, property) || listed(expect.fail, property) ||
           (property == "fairness" && fairness_demanded(expect));
}

bool is_met(Requirement requirement, const PropertyResult& result, bool named) {
    switch (requirement) {
    case Requirement::hold:
        // A property the scenario names explicitly must actually be exercised; under the
        // default "everything that applies", not-applicable is fine.
        return result.verdict == Verdict::pass ||
               (!named && result.verdict == Verdict::not_applicable);
    case Requirement::fail:
        return result.verdict == Verdict::fail;
    case Requirement::info:
        return true;
    }
    return false;
}

} // namespace

ScenarioOutcome outcome_of(const std::vector<PropertyOutcome>& properties,
                           const std::vector<RequirementResult>& requirements) {
    bool hold_missed = false, any_fail_required = false, fail_missed = false;
    for (const PropertyOutcome& p : properties) {
        if (p.requirement == Requirement::hold && !p.met) hold_missed = true;
        if (p.requirement == Requirement::fail) {
            any_fail_required = true;
            if (!p.met) fail_missed = true;
        }
    }
    // A threshold, crash or error the scenario expected and did not get is a failure, in a
    // negative control too: it is not the property the control is about.
    const bool requirement_missed = std::any_of(requirements.begin(), requirements.end(),
                                                [](const RequirementResult& r) { return !r.met; });
    if (hold_missed || requirement_missed) return ScenarioOutcome::failed;
    if (!any_fail_required) return ScenarioOutcome::passed;
    return fail_missed ? ScenarioOutcome::control_missed : ScenarioOutcome::control_caught;
}

Requirement requirement_for(const Expectations& expect, std::string_view property) {
    // A fairness limit is a requirement of its own, like any threshold, unless a negative
    // control lists fairness as one that must fail.
    if (property == "fairness" && fairness_demanded(expect) && !listed(expect.fail, property))
        return Requirement::hold;
    if (!expect.lists_properties()) return Requirement::hold;
    if (listed(expect.fail, property)) return Requirement::fail;
    if (listed(expect.hold, property) || expect.hold_all) return Requirement::hold;
    return Requirement::info;
}

CheckOptions check_options(const Expectations& expect) {
    CheckOptions options;
    options.min_fairness = expect.thresholds.min_fairness;
    options.max_overtakes = expect.thresholds.max_overtakes;
    return options;
}

ScenarioResult evaluate(const Scenario& scenario, const Plan& plan, const RunReport& run,
                        std::vector<PropertyResult> verdicts) {
    ScenarioResult result;
    result.path = scenario.path;
    result.name = scenario.name;
    result.run_id = plan.run_id;
    result.run_dir = plan.run_dir.string();
    result.duration_s = run.duration_s;
    result.messages = run.errors;
    result.chaos = run.chaos;
    result.hang = run.hang;
    for (const AgentHistory& agent : run.history.agents) {
        result.events += agent.events.size();
        for (const EventRecord& event : agent.events)
            if (event.flags & event_flag::critical_section) ++result.critical_sections;
        result.agents.push_back(AgentSummary{agent.agent_id, agent.name, agent.end, agent.exit_code,
                                             agent.signal, agent.events.size(), agent.log_damage});
    }
    for (PropertyResult& verdict : verdicts) {
        PropertyOutcome outcome;
        // What was observed is reported, not judged: information whatever the scenario asked.
        outcome.requirement = verdict.verdict == Verdict::observed
                                  ? Requirement::info
                                  : requirement_for(scenario.expect, verdict.id);
        outcome.met = is_met(outcome.requirement, verdict, names(scenario.expect, verdict.id));
        outcome.result = std::move(verdict);
        result.properties.push_back(std::move(outcome));
    }
    if (run.could_not_run) {
        result.outcome = ScenarioOutcome::harness_error;
    } else {
        result.requirements = evaluate_requirements(scenario, run.history);
        result.outcome = outcome_of(result.properties, result.requirements);
        if (run.interrupt_signal != 0) {
            result.messages.push_back("interrupted by signal " +
                                      std::to_string(run.interrupt_signal));
            if (!outcome_info(result.outcome).is_failure) result.outcome = ScenarioOutcome::failed;
        }
    }
    return result;
}

} // namespace ipch
