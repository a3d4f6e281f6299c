#include "html_report.hpp"

#include "text.hpp"

#include <map>
#include <utility>

namespace ipch {

namespace {

// A case's place in the charts: its backend and how many agents took part.
using ChartKey = std::pair<std::string, std::uint32_t>;

ChartKey chart_key(const Timeline& timeline) {
    return {timeline.backend.empty() ? "unknown backend" : timeline.backend,
            static_cast<std::uint32_t>(timeline.lanes.size())};
}

std::string plural(std::uint64_t count, const std::string& word) {
    return std::to_string(count) + " " + word + (count == 1 ? "" : "s");
}

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

void add_charts(HtmlDocument& document, const RunResults& results) {
    std::map<ChartKey, LogHistogram> waits;
    std::map<ChartKey, std::pair<double, int>> throughputs; // sum, cases
    for (const ScenarioResult& scenario : results.scenarios) {
        if (!scenario.timeline) continue;
        const Timeline& timeline = *scenario.timeline;
        const ChartKey key = chart_key(timeline);
        if (timeline.wait.count() > 0) waits[key].merge(timeline.wait);
        if (timeline.throughput) {
            throughputs[key].first += *timeline.throughput;
            ++throughputs[key].second;
        }
        if (timeline.lanes.size() > 1 && timeline.sections > 0) {
            HtmlFairness fairness{scenario.name, {}, timeline.jain};
            for (const TimelineLane& lane : timeline.lanes)
                fairness.sections.emplace_back(lane.name, lane.sections);
            document.fairness.push_back(std::move(fairness));
        }
    }
    for (const auto& [key, wait] : waits)
        document.latency.push_back(
            HtmlLatency{key.first + ", " + plural(key.second, "agent"), wait});
    for (const auto& [key, sum] : throughputs)
        document.throughput.push_back(
            HtmlThroughput{key.first, key.second, sum.first / sum.second});
}

} // namespace

HtmlDocument html_document(const RunResults& results, std::string title) {
    HtmlDocument document;
    document.title = std::move(title);
    add_summary(document, results);
    add_charts(document, results);
    for (const ScenarioResult& scenario : results.scenarios)
        document.cases.push_back(&scenario);
    return document;
}

void write_html_report(std::ostream& out, const RunResults& results) {
    write_html(out, html_document(results));
}

} // namespace ipch
