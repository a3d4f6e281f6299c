// The problems of a matrix's cases, merged into one list for the file: a problem every case has
// is reported once, as a file without a matrix reports it; one that only some cases have names
// the values that cause it: "...; expected ... (case agents=300)".
#pragma once

#include "scenario.hpp"
#include "scenario/matrix.hpp"

#include <vector>

namespace ipch::scenario_detail {

// `per_case[i]` holds the problems of `cases[i]`, each list in file order. The result is in
// file order, problems at one position in case order.
std::vector<ScenarioError>
merge_case_errors(const Matrix& matrix, const std::vector<MatrixCase>& cases,
                  const std::vector<std::vector<ScenarioError>>& per_case);

} // namespace ipch::scenario_detail
