#include "stress/stress_html.hpp"

#include "html_page.hpp"
#include "stress/stress_table.hpp"
#include "text.hpp"

#include <sstream>
#include <utility>

namespace ipch::stress {

namespace {

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
            << format_ratio(c.figures.jain) << "</td><td>" << html_text(failed_properties(c))
            << "</td></tr>\n";
    }
    out << "</table><p class=\"note\">" << html_text(timing_line(sweep)) << "</p>\n";
    return out.str();
}

// The cases that ran on the charts, and their fairness when more than one agent took part.
void add_figures(HtmlDocument& document, const Sweep& sweep) {
    std::vector<HtmlChartCase> chart_cases;
    for (const StressCase& c : sweep.cases) {
        if (c.could_not_run) continue;
        chart_cases.push_back(HtmlChartCase{std::string(to_string(c.key.backend)), c.key.agents,
                                            &c.figures.wait, c.figures.throughput});
        HtmlFairness fairness{case_label(c.key), {}, c.figures.jain};
        for (std::size_t i = 0; i < c.figures.per_agent.size(); ++i)
            fairness.sections.emplace_back("agent " + std::to_string(i + 1),
                                           c.figures.per_agent[i]);
        if (c.figures.per_agent.size() > 1) document.fairness.push_back(std::move(fairness));
    }
    add_charts(document, chart_cases);
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
    add_figures(document, sweep);
    document.extra_title = "Cases";
    document.extra_html = cases_html(sweep);
    write_html(out, document);
}

} // namespace ipch::stress
