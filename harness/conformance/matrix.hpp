// The conformance matrix: backends x properties, each cell the verdict of the cases of that
// backend that measure that property, with its evidence. Plain data, built from case results.
#pragma once

#include "conformance/backends.hpp"
#include "results.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace ipch::conformance {

// What one case says of the property it measures. `state` is a verdict's name (pass, fail,
// not-applicable, unknown, or a reported value's verdict such as observed).
struct CaseVerdict {
    std::string state;
    std::string detail;  // fail: the first evidence's summary; otherwise the property's detail
    std::string run_dir; // kept for a fail: the evidence link
};

// One case of the suite as run.
struct CaseRun {
    Backend backend;
    std::string property; // the suite file's name: the property it measures
    ScenarioResult result;
    CaseVerdict verdict;
};

// The property the conformance command decides itself, from two concurrent runs of one case:
// it passes when both runs pass.
inline constexpr std::string_view isolation_property = "isolation";

// What the case's result says of `property`: that property's verdict (isolation: the case's
// outcome); unknown when the case could not run or this version does not check the property.
CaseVerdict judge_case(const ScenarioResult& result, const std::string& property);

struct Cell {
    std::string state;     // empty: no case of this backend measures the property
    std::string detail;    // the deciding case's detail (observed: each distinct value)
    std::string case_name; // the deciding case: for a fail, the first failing one
    std::string run_dir;   // a fail's kept run directory
    std::size_t cases = 0;
};

struct Matrix {
    std::vector<Backend> backends;        // rows
    std::vector<std::string> properties;  // columns, in catalog order
    std::vector<std::vector<Cell>> cells; // [row][column]
};

// Aggregates each cell over its cases: fail if any failed, else unknown if any was unknown,
// else an observed value, else pass, else not-applicable.
Matrix build_matrix(const std::vector<Backend>& backends, const std::vector<CaseRun>& runs);

} // namespace ipch::conformance
