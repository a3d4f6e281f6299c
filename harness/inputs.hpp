// The scenario files a command line names: found, loaded and expanded into cases, every problem
// of every file printed. Shared by `run`, `list` and `validate`.
#pragma once

#include "results.hpp"
#include "scenario.hpp"

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace ipch {

struct Inputs {
    std::size_t files = 0;
    std::vector<Scenario> cases;     // every case of the files that loaded, in file order
    std::vector<ScenarioResult> bad; // a bad-input result per file that did not, for reports
};

// Directories are searched recursively for *.yaml / *.yml, in name order; anything else is
// taken as a file (a missing one is reported by the loader like any other bad input).
std::vector<std::string> discover(const std::vector<std::string>& paths);

// Loads every file, printing each problem to `errors` as file:line:col: error: ...
Inputs load_inputs(const std::vector<std::string>& paths, std::ostream& errors);

} // namespace ipch
