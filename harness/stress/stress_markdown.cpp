#include "stress/stress_markdown.hpp"

#include "markdown_text.hpp"
#include "stress/stress_table.hpp"
#include "text.hpp"

#include <algorithm>
#include <cstdio>

namespace ipch::stress {

namespace {

std::string verdict(const StressCase& stress_case) {
    if (stress_case.could_not_run) return "\u274c could not run";
    const std::string failed = failed_properties(stress_case);
    return failed.empty() ? "\u2705 ok" : "\u274c FAIL " + markdown_text(failed);
}

void write_row(std::ostream& out, const StressCase& c) {
    const CaseFigures& f = c.figures;
    out << "| " << markdown_text(to_string(c.key.backend)) << " | " << c.key.agents << " | "
        << c.key.repeat << " | " << format_rate(f.throughput) << " | "
        << format_ns(f.wait.percentile(50)) << " | " << format_ns(f.wait.percentile(99)) << " | "
        << format_ns(f.hold.percentile(50)) << " | " << format_ratio(f.jain) << " | " << verdict(c)
        << " |\n";
}

} // namespace

void write_stress_markdown(std::ostream& out, const Sweep& sweep) {
    const auto failing = std::count_if(sweep.cases.begin(), sweep.cases.end(),
                                       [](const StressCase& c) { return case_outcome(c) != "ok"; });
    out << "## " << (failing > 0 ? "\u274c" : "\u2705")
        << " ipc-harness stress: " << sweep.cases.size() << " case(s), " << failing << " not ok\n\n"
        << markdown_text(timing_line(sweep)) << " \u00b7 " << format_seconds(sweep.duration_s)
        << " s";
    if (!sweep.shard.empty()) out << " \u00b7 shard " << sweep.shard;
    out << "\n\n| backend | agents | rep | acq/s | wait p50 | wait p99 | hold p50 | jain | verdict "
           "|\n|---|--:|--:|--:|--:|--:|--:|--:|---|\n";
    for (const StressCase& stress_case : sweep.cases)
        write_row(out, stress_case);
    out << "\n";
}

} // namespace ipch::stress
