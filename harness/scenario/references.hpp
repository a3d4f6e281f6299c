// `${name}` references to matrix parameters, anywhere in a scenario outside its `matrix`:
// checked once for the whole file, then replaced by each case's values.
//
// A scalar that is exactly `${name}` becomes the value as written (a plain 4 stays a number, a
// quoted "4" a string, whether the reference itself is quoted or not: flow style needs the
// quotes); inside a longer scalar the value's text replaces the reference. `$${` stands for a
// literal `${`.
#pragma once

#include "scenario/matrix.hpp"
#include "scenario/yaml_reader.hpp"

#include <set>
#include <utility>

namespace ipch::scenario_detail {

// Reports every malformed reference, every reference to a parameter the matrix does not have
// (`matrix` is nullptr when the file has none, or an unreadable one: then no parameter is
// reported as unknown or unused), and every parameter no reference uses. Returns the positions
// (line, column) of the scalars that hold references.
std::set<std::pair<int, int>> check_references(const YAML::Node& root, const Matrix* matrix,
                                               bool has_matrix, Diagnostics& diag);

// Replaces every reference in `root` with the case's value, and `$${` with `${`. The references
// must have passed check_references.
void substitute_references(YAML::Node& root, const Matrix& matrix, const MatrixCase& one_case);

} // namespace ipch::scenario_detail
