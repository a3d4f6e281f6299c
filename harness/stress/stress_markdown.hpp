// stress --markdown: the sweep's table for a CI job's summary page.
#pragma once

#include "stress/stress.hpp"

#include <ostream>

namespace ipch::stress {

// A heading with the totals, then one row per case: throughput, waits, holds, fairness and
// the verdict (the console table's main columns; the JSON has every figure).
void write_stress_markdown(std::ostream& out, const Sweep& sweep);

} // namespace ipch::stress
