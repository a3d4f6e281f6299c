#include "scenario/case_errors.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace ipch::scenario_detail {

namespace {

// Which parameters a description pins to the value of a reference case.
using Pinned = std::vector<bool>;

bool matches(const MatrixCase& candidate, const MatrixCase& reference, const Pinned& pinned) {
    for (std::size_t p = 0; p < pinned.size(); ++p)
        if (pinned[p] && candidate[p] != reference[p]) return false;
    return true;
}

// Every case the description (reference, pinned) stands for has the problem.
bool only_affected(const std::vector<MatrixCase>& cases, const std::vector<bool>& affected,
                   const MatrixCase& reference, const Pinned& pinned) {
    for (std::size_t i = 0; i < cases.size(); ++i)
        if (!affected[i] && matches(cases[i], reference, pinned)) return false;
    return true;
}

std::string describe(const Matrix& matrix, const MatrixCase& reference, const Pinned& pinned) {
    std::string text;
    for (std::size_t p = 0; p < pinned.size(); ++p) {
        if (!pinned[p]) continue;
        const MatrixParameter& parameter = matrix.parameters[p];
        text +=
            (text.empty() ? "" : ",") + parameter.name + "=" + parameter.values[reference[p]].text;
    }
    return text;
}

// The affected cases as few, short descriptions as a greedy pass finds: each affected case,
// unless an earlier description covers it, loses every parameter (in key order) whose value does
// not matter, i.e. all cases that differ only there are affected too. With agents=300 failing
// for every mutex, that is "agents=300" once instead of one line per mutex.
std::vector<std::string> describe_cases(const Matrix& matrix, const std::vector<MatrixCase>& cases,
                                        const std::vector<bool>& affected) {
    std::vector<std::string> descriptions;
    std::vector<bool> covered(cases.size(), false);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        if (!affected[i] || covered[i]) continue;
        Pinned pinned(matrix.parameters.size(), true);
        for (std::size_t p = 0; p < pinned.size(); ++p) {
            pinned[p] = false;
            if (!only_affected(cases, affected, cases[i], pinned)) pinned[p] = true;
        }
        for (std::size_t j = 0; j < cases.size(); ++j)
            if (matches(cases[j], cases[i], pinned)) covered[j] = true;
        descriptions.push_back(describe(matrix, cases[i], pinned));
    }
    return descriptions;
}

struct Occurrence {
    ScenarioError error;
    std::vector<bool> affected;
};

} // namespace

std::vector<ScenarioError>
merge_case_errors(const Matrix& matrix, const std::vector<MatrixCase>& cases,
                  const std::vector<std::vector<ScenarioError>>& per_case) {
    std::vector<Occurrence> occurrences; // in order of first appearance
    std::map<std::tuple<int, int, std::string>, std::size_t> index;
    for (std::size_t c = 0; c < per_case.size(); ++c) {
        for (const ScenarioError& error : per_case[c]) {
            const auto key = std::make_tuple(error.pos.line, error.pos.column, error.message);
            auto [it, added] = index.emplace(key, occurrences.size());
            if (added) occurrences.push_back({error, std::vector<bool>(cases.size(), false)});
            occurrences[it->second].affected[c] = true;
        }
    }
    std::vector<ScenarioError> merged;
    for (const Occurrence& occurrence : occurrences) {
        if (std::all_of(occurrence.affected.begin(), occurrence.affected.end(),
                        [](bool a) { return a; })) {
            merged.push_back(occurrence.error);
            continue;
        }
        for (const std::string& description : describe_cases(matrix, cases, occurrence.affected)) {
            ScenarioError error = occurrence.error;
            error.message += " (case " + description + ")";
            merged.push_back(std::move(error));
        }
    }
    std::stable_sort(merged.begin(), merged.end(), [](const auto& a, const auto& b) {
        return std::tie(a.pos.line, a.pos.column) < std::tie(b.pos.line, b.pos.column);
    });
    return merged;
}

} // namespace ipch::scenario_detail
