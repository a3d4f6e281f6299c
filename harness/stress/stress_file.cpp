#include "stress/stress_file.hpp"

#include "check/detail.hpp"
#include "run/evaluate.hpp"
#include "run/signals.hpp"

namespace ipch::stress {

namespace {

std::vector<CaseParameter> case_parameters(const Scenario& scenario, const CaseKey& key) {
    std::vector<CaseParameter> parameters = scenario.parameters;
    parameters.push_back({"backend", std::string(to_string(key.backend)), false});
    parameters.push_back({"agents", std::to_string(key.agents), false});
    parameters.push_back({"repeat", std::to_string(key.repeat), false});
    return parameters;
}

// NAME[backend=spin,agents=2,repeat=1], or with a matrix NAME[mutex=..,backend=..,...].
std::string case_name(const Scenario& scenario, const CaseKey& key) {
    std::string name = scenario.case_name;
    if (!scenario.parameters.empty() && !name.empty() && name.back() == ']')
        name.back() = ',';
    else
        name += '[';
    return name + "backend=" + std::string(to_string(key.backend)) +
           ",agents=" + std::to_string(key.agents) + ",repeat=" + std::to_string(key.repeat) + "]";
}

std::optional<DistributionSummary> distribution(const LogHistogram& histogram) {
    if (histogram.count() == 0) return std::nullopt;
    return DistributionSummary{histogram.count(),
                               histogram.percentile(50).value_or(0),
                               histogram.percentile(90).value_or(0),
                               histogram.percentile(99).value_or(0),
                               histogram.percentile(99.9).value_or(0),
                               histogram.max().value_or(0)};
}

StressSummary summary(const StressConfig& config, const StressCase& stress_case) {
    const CaseFigures& f = stress_case.figures;
    StressSummary s;
    s.backend = to_string(stress_case.key.backend);
    s.agents = stress_case.key.agents;
    s.repeat = stress_case.key.repeat;
    s.timing = timing_text(config);
    s.acquisitions = f.acquisitions;
    s.stamped = f.stamped;
    s.per_agent = f.per_agent;
    s.throughput_per_s = f.throughput;
    s.jain_index = f.jain;
    s.wait = distribution(f.wait);
    s.hold = distribution(f.hold);
    s.handoff = distribution(f.handoff);
    if (f.lock_order_measured) s.longest_run = f.longest_run;
    s.longest_wait_ns = f.longest_wait_ns;
    return s;
}

PropertyOutcome property_outcome(const PropertyResult& verdict) {
    const bool judged = verdict.verdict == Verdict::pass || verdict.verdict == Verdict::fail;
    return PropertyOutcome{verdict, judged ? Requirement::hold : Requirement::info,
                           verdict.verdict != Verdict::fail};
}

// The file's thresholds judged on the case's figures (docs/stress.md, "Thresholds"): throughput
// and fairness count every section; the waits are those of the stamped sections (every one
// under full timing, every K-th sampled), their 99th percentile read from the histogram. Unlike
// a scenario's, min_fairness is a row of its own: the fairness property sees only the stamped.
std::vector<RequirementResult> threshold_rows(const Thresholds& limits, const CaseFigures& f) {
    std::vector<RequirementResult> rows =
        figure_rows(limits, f.throughput, f.wait.percentile(99), f.wait.max(),
                    " (of " + std::to_string(f.wait.count()) + " stamped lock waits)");
    if (limits.min_fairness)
        rows.push_back(threshold_row(
            {"min_fairness", Bound::at_least, *limits.min_fairness, ""}, f.jain,
            " (Jain's index of " + check::count_of(f.per_agent.size(), "agent's", "agents'") +
                " sections)"));
    return rows;
}

} // namespace

// Repeats are the outer loop: a load that comes and goes on the machine then spreads over every
// case's repeats, where compare sees it as spread, rather than over one case's.
std::vector<CaseKey> case_keys(const StressConfig& config) {
    std::vector<CaseKey> keys;
    for (std::uint32_t repeat = 1; repeat <= config.repeat; ++repeat)
        for (const MutexKind backend : config.backends)
            for (const std::uint32_t agents : config.agents)
                keys.push_back({backend, agents, repeat});
    return keys;
}

ScenarioResult stress_result(const Scenario& scenario, const StressCase& stress_case) {
    const StressConfig& config = *scenario.stress;
    ScenarioResult result;
    result.path = scenario.path;
    result.name = case_name(scenario, stress_case.key);
    result.parameters = case_parameters(scenario, stress_case.key);
    result.run_id = stress_case.run_id;
    result.run_dir = stress_case.run_dir;
    result.started_utc = stress_case.started_utc;
    result.duration_s = stress_case.duration_s;
    result.messages = stress_case.errors;
    result.agents = stress_case.agents;
    result.events = stress_case.events;
    if (stress_case.could_not_run) {
        result.outcome = ScenarioOutcome::harness_error;
        return result;
    }
    for (const PropertyResult& verdict : stress_case.verdicts)
        result.properties.push_back(property_outcome(verdict));
    result.requirements = threshold_rows(scenario.expect.thresholds, stress_case.figures);
    result.outcome = outcome_of(result.properties, result.requirements);
    result.critical_sections = stress_case.figures.acquisitions;
    result.clock = stress_case.clock;
    result.stress = summary(config, stress_case);
    return result;
}

std::vector<Scenario> listed_cases(const Scenario& scenario) {
    if (!scenario.stress) return {scenario};
    std::vector<Scenario> cases;
    for (const CaseKey& key : case_keys(*scenario.stress)) {
        Scenario narrowed = scenario;
        narrowed.case_name = case_name(scenario, key);
        narrowed.parameters = case_parameters(scenario, key);
        narrowed.stress->backends = {key.backend};
        narrowed.stress->agents = {key.agents};
        narrowed.stress->repeat = 1;
        cases.push_back(std::move(narrowed));
    }
    return cases;
}

std::vector<ScenarioResult> run_stress_file(const Scenario& scenario, const RunSettings& settings) {
    std::vector<ScenarioResult> results;
    for (const CaseKey& key : case_keys(*scenario.stress)) {
        if (pending_interrupt() != 0) break;
        results.push_back(stress_result(scenario, run_case(*scenario.stress, key, settings)));
    }
    return results;
}

} // namespace ipch::stress
