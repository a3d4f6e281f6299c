// How a case's agents read their clocks, from their logs' headers (docs/stress.md, "Clock"):
// shared by `run`'s reports and `stress`'s, which both say, per case, which clock the times came
// from, why, and how far off they may be.
#pragma once

#include "history.hpp"

#include <cstdint>
#include <string>

namespace ipch {

// How many agents used the TSC or CLOCK_MONOTONIC, the largest |drift| of a start calibration
// and the largest error bound, whether any two calibrations disagreed, and the first fallback's
// reason.
struct CaseClock {
    std::uint32_t tsc_agents = 0;
    std::uint32_t monotonic_agents = 0;
    std::int64_t max_drift_ns = 0; // signed: the drift of largest magnitude
    std::uint64_t max_error_ns = 0;
    std::uint64_t tsc_khz = 0; // of the first TSC agent
    bool disagreed = false;
    std::string fallback; // the first fallback's reason (asked, not-invariant, calibration)
};

CaseClock case_clock(const History& history);
// Adds `more`'s agents to `into` (a sweep's clocks are its cases' together): the counts summed,
// the largest drift and error bound, the first TSC rate and fallback reason.
void add_clock(CaseClock& into, const CaseClock& more);
// "tsc", "monotonic" or "tsc+monotonic" (some agents each).
std::string clock_text(const CaseClock& clock);
// Why, for people: "invariant TSC calibrated to CLOCK_MONOTONIC" for the TSC; for
// CLOCK_MONOTONIC its fallback's reason ("--clock monotonic asked for it", ...).
std::string clock_reason(const CaseClock& clock);
// One line: "tsc (invariant TSC calibrated to CLOCK_MONOTONIC; drift -226 ns corrected; error
// <= 93 ns)", "monotonic (the TSC is not invariant here; error 0 ns)".
std::string clock_summary(const CaseClock& clock);

} // namespace ipch
