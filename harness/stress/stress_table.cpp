#include "stress/stress_table.hpp"

#include "text.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

namespace ipch::stress {

namespace {

constexpr std::array<const char*, 16> headers{
    "backend", "agents", "rep",      "acquisitions", "acq/s", "wait p50", "p90",         "p99",
    "p99.9",   "max",    "hold p50", "hand-off p50", "p99",   "jain",     "longest run", "verdict"};

std::vector<std::string> row(const StressCase& c) {
    const CaseFigures& f = c.figures;
    const std::string failed = failed_properties(c);
    return {std::string(to_string(c.key.backend)),
            std::to_string(c.key.agents),
            std::to_string(c.key.repeat),
            std::to_string(f.acquisitions),
            format_rate(f.throughput),
            format_ns(f.wait.percentile(50)),
            format_ns(f.wait.percentile(90)),
            format_ns(f.wait.percentile(99)),
            format_ns(f.wait.percentile(99.9)),
            format_ns(f.wait.max()),
            format_ns(f.hold.percentile(50)),
            format_ns(f.handoff.percentile(50)),
            format_ns(f.handoff.percentile(99)),
            format_ratio(f.jain),
            f.lock_order_measured ? std::to_string(f.longest_run) : "-",
            c.could_not_run  ? "could not run"
            : failed.empty() ? "ok"
                             : "FAIL " + failed};
}

} // namespace

void write_stress_table(std::ostream& out, const Sweep& sweep) {
    std::vector<std::vector<std::string>> rows;
    rows.emplace_back(headers.begin(), headers.end());
    for (const StressCase& stress_case : sweep.cases)
        rows.push_back(row(stress_case));
    std::array<std::size_t, headers.size()> widths{};
    for (const auto& cells : rows)
        for (std::size_t i = 0; i < cells.size(); ++i)
            widths[i] = std::max(widths[i], cells[i].size());
    // Names left-aligned, figures right-aligned; the last column unpadded.
    for (const auto& cells : rows) {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const std::string pad(widths[i] - cells[i].size(), ' ');
            const bool left = i == 0 || i + 1 == cells.size();
            line += (i > 0 ? "  " : "") +
                    (left ? cells[i] + (i + 1 == cells.size() ? "" : pad) : pad + cells[i]);
        }
        out << console_text(line) << "\n";
    }
    out << timing_line(sweep) << "\n";
}

std::string timing_line(const Sweep& sweep) {
    std::string line = "timing: " + timing_text(sweep.config);
    if (sweep.config.timing == TimingMode::sampled && sweep.config.sample_every > 1)
        line += " (counts exact; waits and holds from the stamped sections; hand-offs and runs "
                "need --timing full)";
    // The cases' clocks: which source, the largest drift before correction and error bound.
    CaseClock all;
    for (const StressCase& c : sweep.cases)
        add_clock(all, c.clock);
    line += "; clock: " + clock_text(all);
    if (all.tsc_agents > 0)
        line += " (calibrated to CLOCK_MONOTONIC: drift " + std::to_string(all.max_drift_ns) +
                " ns corrected, error <= " + std::to_string(all.max_error_ns) + " ns" +
                (all.disagreed ? ", calibrations DISAGREED" : "") + ")";
    if (all.monotonic_agents > 0 && !all.fallback.empty())
        line += " (monotonic: " + all.fallback + ")";
    return line;
}

std::string case_label(const CaseKey& key) {
    return std::string(to_string(key.backend)) + " agents=" + std::to_string(key.agents) +
           " repeat=" + std::to_string(key.repeat);
}

std::string case_summary(const StressCase& c) {
    std::string line = case_label(c.key) + ": ";
    if (c.could_not_run)
        return line + "could not run" + (c.errors.empty() ? "" : ": " + c.errors.front());
    const std::string failed = failed_properties(c);
    return line + std::to_string(c.figures.acquisitions) + " acquisitions, " +
           format_rate(c.figures.throughput) + "/s, wait p99 " +
           format_ns(c.figures.wait.percentile(99)) + ", " +
           (failed.empty() ? "ok" : "FAIL " + failed);
}

} // namespace ipch::stress
