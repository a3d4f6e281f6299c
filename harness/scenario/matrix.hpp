// A scenario's `matrix`: parameters, each with a list of values, whose combinations make the
// file's cases. Reading it, and expanding it into the cases, in order.
#pragma once

#include "scenario.hpp"
#include "scenario/yaml_reader.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace ipch::scenario_detail {

struct MatrixValue {
    std::string text;
    std::string tag; // yaml-cpp's: "?" written plain, "!" quoted, else the explicit tag
    SourcePos pos;
};

struct MatrixParameter {
    std::string name;
    SourcePos pos; // its key
    std::vector<MatrixValue> values;
};

// One combination left out: (parameter index, value index) pairs that a case must all match.
using MatrixExclude = std::vector<std::pair<std::size_t, std::size_t>>;

// A file without a matrix has an empty one: no parameters, one case.
struct Matrix {
    SourcePos pos; // the `matrix` key
    std::vector<MatrixParameter> parameters;
    std::vector<MatrixExclude> excludes;
};

// One case: the index of its value for each parameter, in the matrix's key order.
using MatrixCase = std::vector<std::size_t>;

// The top-level `matrix` entry's matrix, or nullopt with every problem reported.
std::optional<Matrix> read_matrix(const MapReader::Entry& entry, Diagnostics& diag);

// The cases: the product of the values (the first parameter varies slowest) less the excluded
// combinations. Reports a product over max_matrix_cases, or nothing left, and returns none then.
std::vector<MatrixCase> expand_matrix(const Matrix& matrix, Diagnostics& diag);

std::vector<CaseParameter> case_parameters(const Matrix& matrix, const MatrixCase& one_case);

// "name[agents=4,mutex=none]"; `name` alone without parameters.
std::string case_name(const std::string& name, const std::vector<CaseParameter>& parameters);

} // namespace ipch::scenario_detail
