#include "stress/stress_html.hpp"

#include "html_page.hpp"
#include "stress/stress_table.hpp"
#include "text.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <utility>

namespace ipch::stress {

namespace {

using Key = std::pair<std::string, std::uint32_t>; // backend, agents

std::string cases_html(const Sweep& sweep) {
    std::ostringstream out;
    out << "<table class=\"stress-cases\"><tr><th>case</th><th>outcome</th><th>acquisitions</th>"
           "<th>per second</th><th>wait p50 / p99 / max</th><th>Jain</th><th>failed</th></tr>\n";
    for (const StressCase& c : sweep.cases) {
        const std::string outcome = case_outcome(c);
        out << "<tr><td>" << html_text(case_label(c.key)) << "</td><td class=\""
            << (outcome == "ok" ? "pass" : "fail") << "\">" << html_text(outcome) << "</td><td>"
            << c.figures.acquisitions << "</td><td>" << html_text(format_rate(c.figures.throughput))
            << "</td><td>" << html_text(format_ns(c.figures.wait.percentile(50))) << " / "
            << html_text(format_ns(c.figures.wait.percentile(99))) << " / "
            << html_text(format_ns(c.figures.wait.max())) << "</td><td>"
            << (c.figures.jain ? std::to_string(*c.figures.jain) : "-") << "</td><td>"
            << html_text(failed_properties(c)) << "</td></tr>\n";
    }
    out << "</table><p class=\"note\">" << html_text(timing_line(sweep)) << "</p>\n";
    return out.str();
}

void add_charts(HtmlDocument& document, const Sweep& sweep) {
    std::map<Key, LogHistogram> waits;
    std::map<Key, std::pair<double, int>> rates; // sum, cases
    for (const StressCase& c : sweep.cases) {
        if (c.could_not_run) continue;
        const Key key{std::string(to_string(c.key.backend)), c.key.agents};
        waits[key].merge(c.figures.wait);
        if (c.figures.throughput) {
            rates[key].first += *c.figures.throughput;
            ++rates[key].second;
        }
        HtmlFairness fairness{case_label(c.key), {}, c.figures.jain};
        for (std::size_t i = 0; i < c.figures.per_agent.size(); ++i)
            fairness.sections.emplace_back("agent " + std::to_string(i + 1),
                                           c.figures.per_agent[i]);
        if (c.figures.per_agent.size() > 1) document.fairness.push_back(std::move(fairness));
    }
    for (const auto& [key, wait] : waits)
        if (wait.count() > 0)
            document.latency.push_back(
                HtmlLatency{key.first + ", " + std::to_string(key.second) + " agents", wait});
    for (const auto& [key, sum] : rates)
        document.throughput.push_back(
            HtmlThroughput{key.first, key.second, sum.first / sum.second});
}

} // namespace

void write_stress_html(std::ostream& out, const Sweep& sweep) {
    HtmlDocument document;
    document.title = "ipc-harness stress";
    const Environment& machine = sweep.environment;
    document.summary = {{"tool", "ipc-harness " + sweep.tool_version},
                        {"started", sweep.started_utc},
                        {"duration", format_seconds(sweep.duration_s) + " s"},
                        {"cases", std::to_string(sweep.cases.size())},
                        {"timing", timing_text(sweep.config)},
                        {"machine", machine.cpu_model + ", " + std::to_string(machine.cores) +
                                        " cores, " + machine.kernel},
                        {"load average at start", std::to_string(machine.load_average[0])}};
    add_charts(document, sweep);
    document.extra_title = "Cases";
    document.extra_html = cases_html(sweep);
    write_html(out, document);
}

bool write_stress_html_file(const std::string& path, const Sweep& sweep) {
    std::error_code ec;
    if (std::filesystem::path(path).has_parent_path())
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    std::ofstream out(path);
    if (out) write_stress_html(out, sweep);
    if (out) out.close();
    if (!out) std::cerr << "ipc-harness stress: cannot write " << console_text(path) << "\n";
    return static_cast<bool>(out);
}

} // namespace ipch::stress
