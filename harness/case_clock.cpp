#include "case_clock.hpp"

#include <algorithm>
#include <cstdlib>

namespace ipch {

namespace {

// One agent's clock, as a case of one agent.
CaseClock agent_clock(const LogClock& report) {
    CaseClock clock;
    if (report.source == ClockSource::tsc) {
        clock.tsc_agents = 1;
        clock.tsc_khz = report.tsc_khz;
    } else {
        clock.monotonic_agents = 1;
        clock.fallback = to_string(report.fallback);
    }
    clock.max_drift_ns = report.drift_ns;
    clock.max_error_ns = report.error_ns;
    clock.disagreed = report.disagreed != 0;
    return clock;
}

std::string fallback_reason(const std::string& fallback) {
    if (fallback == "asked") return "CLOCK_MONOTONIC asked for (--clock monotonic)";
    if (fallback == "not-invariant")
        return "the TSC is not invariant here (no constant_tsc and nonstop_tsc, or not x86-64)";
    if (fallback == "calibration")
        return "the TSC's calibration was not trustworthy (interrupted reads or an implausible "
               "rate)";
    // A log without a clock report: an external agent's, or an agent that never started its run.
    return "clock_gettime for every time (no TSC report in the log)";
}

// An agent that recorded nothing and wrote no clock report (its log's header all zero: it died
// before its run began) read no clock at all: it is counted as neither.
bool read_a_clock(const AgentHistory& agent) {
    return !agent.events.empty() || agent.clock.source == ClockSource::tsc ||
           agent.clock.fallback != ClockFallback::none;
}

} // namespace

void add_clock(CaseClock& into, const CaseClock& more) {
    if (into.tsc_agents == 0) into.tsc_khz = more.tsc_khz;
    into.tsc_agents += more.tsc_agents;
    into.monotonic_agents += more.monotonic_agents;
    if (std::llabs(more.max_drift_ns) > std::llabs(into.max_drift_ns))
        into.max_drift_ns = more.max_drift_ns;
    into.max_error_ns = std::max(into.max_error_ns, more.max_error_ns);
    into.disagreed = into.disagreed || more.disagreed;
    if (into.fallback.empty()) into.fallback = more.fallback;
}

CaseClock case_clock(const History& history) {
    CaseClock clock;
    for (const AgentHistory& agent : history.agents)
        if (read_a_clock(agent)) add_clock(clock, agent_clock(agent.clock));
    return clock;
}

std::string clock_text(const CaseClock& clock) {
    if (clock.tsc_agents > 0 && clock.monotonic_agents > 0) return "tsc+monotonic";
    return clock.tsc_agents > 0 ? "tsc" : "monotonic";
}

std::string clock_reason(const CaseClock& clock) {
    std::string reason;
    if (clock.tsc_agents > 0) reason = "invariant TSC calibrated to CLOCK_MONOTONIC";
    if (clock.monotonic_agents > 0)
        reason += (reason.empty() ? "" : "; monotonic: ") + fallback_reason(clock.fallback);
    return reason;
}

std::string clock_summary(const CaseClock& clock) {
    std::string line = clock_text(clock) + " (" + clock_reason(clock);
    if (clock.tsc_agents > 0)
        line += "; drift " + std::to_string(clock.max_drift_ns) + " ns corrected";
    if (clock.disagreed) line += "; calibrations DISAGREED";
    return line + "; error <= " + std::to_string(clock.max_error_ns) + " ns)";
}

} // namespace ipch
