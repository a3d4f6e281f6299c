// A sweep as JSON: every figure, the environment, each case's verdicts and raw histograms
// (docs/stress.md, "JSON"). `compare` reads it back.
#pragma once

#include "stress/stress.hpp"

#include <ostream>

namespace ipch::stress {

inline constexpr int stress_json_version = 1;

void write_stress_json(std::ostream& out, const Sweep& sweep);

} // namespace ipch::stress
