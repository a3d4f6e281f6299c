#include "html_report.hpp"

#include "text.hpp"

#include <utility>

namespace ipch {

namespace {

void add_summary(HtmlDocument& document, const RunResults& results) {
    document.summary = {{"tool", "ipc-harness " + results.tool_version},
                        {"started", results.started_utc},
                        {"duration", format_seconds(results.duration_s) + " s"},
                        {"seed", results.seed ? std::to_string(*results.seed) : "-"},
                        {"scenarios", std::to_string(results.scenarios.size())}};
    for (const OutcomeCount& count : count_outcomes(results))
        document.summary.emplace_back(as_words(count.info->name), std::to_string(count.count));
    if (results.interrupted())
        document.summary.emplace_back("interrupted",
                                      "by signal " + std::to_string(results.interrupt_signal));
}

// Cases that ran (they have a timeline) on the charts, and the fairness of those with more than
// one agent and a section.
void add_figures(HtmlDocument& document, const RunResults& results) {
    std::vector<HtmlChartCase> chart_cases;
    for (const ScenarioResult& scenario : results.scenarios) {
        if (!scenario.timeline) continue;
        const Timeline& timeline = *scenario.timeline;
        chart_cases.push_back(
            HtmlChartCase{timeline.backend.empty() ? "unknown backend" : timeline.backend,
                          static_cast<std::uint32_t>(timeline.lanes.size()), &timeline.wait,
                          timeline.throughput});
        if (timeline.lanes.size() > 1 && timeline.sections > 0) {
            HtmlFairness fairness{scenario.name, {}, timeline.jain};
            for (const TimelineLane& lane : timeline.lanes)
                fairness.sections.emplace_back(lane.name, lane.sections);
            document.fairness.push_back(std::move(fairness));
        }
    }
    add_charts(document, chart_cases);
}

} // namespace

HtmlDocument html_document(const RunResults& results, std::string title) {
    HtmlDocument document;
    document.title = std::move(title);
    add_summary(document, results);
    add_figures(document, results);
    for (const ScenarioResult& scenario : results.scenarios)
        document.cases.push_back(&scenario);
    return document;
}

void write_html_report(std::ostream& out, const RunResults& results) {
    write_html(out, html_document(results));
}

} // namespace ipch
