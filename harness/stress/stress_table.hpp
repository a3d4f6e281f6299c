// The console's view of a sweep: one row per case (docs/stress.md, "Columns").
#pragma once

#include "stress/stress.hpp"
#include "text.hpp"

#include <optional>
#include <ostream>
#include <string>

namespace ipch::stress {

using ipch::format_ns; // reports/text.hpp
using ipch::format_rate;
using ipch::format_ratio;

// The table, then its timing line (timing_line).
void write_stress_table(std::ostream& out, const Sweep& sweep);
// Which timing mode and clock the sweep's figures come from: "timing: sampled, every 64th op
// stamped (...); clock: tsc (calibrated to CLOCK_MONOTONIC: drift -310 ns corrected, error <= 41
// ns)".
std::string timing_line(const Sweep& sweep);

// A case's name for people: "named_mutex agents=2 repeat=1".
std::string case_label(const CaseKey& key);
// One case in one line, for the progress lines a non-terminal gets.
std::string case_summary(const StressCase& stress_case);

} // namespace ipch::stress
