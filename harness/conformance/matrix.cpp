#include "conformance/matrix.hpp"

#include "properties.hpp"

#include <algorithm>

namespace ipch::conformance {

namespace {

// Lower is more severe: the cell shows its most severe case. A verdict this table does not name
// (observed) is a value reported, between unknown and pass.
int severity(const std::string& state) {
    if (state == "fail") return 0;
    if (state == "unknown") return 1;
    if (state == "pass") return 3;
    if (state == "not-applicable") return 4;
    return 2;
}

std::string first_evidence(const PropertyResult& result) {
    if (!result.evidence.empty()) return result.evidence.front().summary;
    return result.detail;
}

// The first property the case required and did not get, for an isolation run that failed.
std::string first_unmet(const ScenarioResult& result) {
    for (const PropertyOutcome& p : result.properties)
        if (!p.met) return p.result.id + ": " + first_evidence(p.result);
    for (const RequirementResult& r : result.requirements)
        if (!r.met) return r.name + ": " + r.detail;
    return result.messages.empty() ? std::string(outcome_info(result.outcome).label)
                                   : result.messages.front();
}

std::string could_not_run(const ScenarioResult& result) {
    return "the case could not run" +
           (result.messages.empty() ? std::string() : ": " + result.messages.front());
}

std::vector<std::string> measured_properties(const std::vector<CaseRun>& runs) {
    std::vector<std::string> properties;
    for (const PropertyInfo& info : property_catalog) {
        const bool measured = std::any_of(
            runs.begin(), runs.end(), [&](const CaseRun& run) { return run.property == info.id; });
        if (measured) properties.emplace_back(info.id);
    }
    return properties;
}

void add_case(Cell& cell, const CaseRun& run) {
    ++cell.cases;
    const CaseVerdict& verdict = run.verdict;
    if (cell.state.empty() || severity(verdict.state) < severity(cell.state)) {
        cell.state = verdict.state;
        cell.detail = verdict.detail;
        cell.case_name = run.result.name;
        cell.run_dir = verdict.run_dir;
        return;
    }
    // Observed values are listed when they differ between the backend's cases.
    if (verdict.state == cell.state && severity(verdict.state) == 2 &&
        cell.detail.find(verdict.detail) == std::string::npos)
        cell.detail += " | " + verdict.detail;
}

} // namespace

CaseVerdict judge_case(const ScenarioResult& result, const std::string& property) {
    if (result.outcome == ScenarioOutcome::harness_error ||
        result.outcome == ScenarioOutcome::bad_input)
        return {"unknown", could_not_run(result), result.run_dir};
    if (property == isolation_property) {
        if (!outcome_info(result.outcome).is_failure)
            return {"pass", "the run passed beside another run of the same case", ""};
        return {"fail", first_unmet(result), result.run_dir};
    }
    const auto it = std::find_if(result.properties.begin(), result.properties.end(),
                                 [&](const PropertyOutcome& p) { return p.result.id == property; });
    if (it == result.properties.end())
        return {"unknown",
                "not checked by this version (the case: " +
                    std::string(outcome_info(result.outcome).label) + ")",
                ""};
    const PropertyResult& verdict = it->result;
    if (verdict.verdict == Verdict::fail) return {"fail", first_evidence(verdict), result.run_dir};
    return {std::string(to_string(verdict.verdict)), verdict.detail, ""};
}

Matrix build_matrix(const std::vector<Backend>& backends, const std::vector<CaseRun>& runs) {
    Matrix matrix;
    matrix.backends = backends;
    matrix.properties = measured_properties(runs);
    matrix.cells.assign(backends.size(), std::vector<Cell>(matrix.properties.size()));
    for (const CaseRun& run : runs) {
        const auto row = std::find(backends.begin(), backends.end(), run.backend);
        const auto column =
            std::find(matrix.properties.begin(), matrix.properties.end(), run.property);
        if (row == backends.end() || column == matrix.properties.end()) continue;
        add_case(matrix.cells[static_cast<std::size_t>(row - backends.begin())]
                             [static_cast<std::size_t>(column - matrix.properties.begin())],
                 run);
    }
    return matrix;
}

} // namespace ipch::conformance
