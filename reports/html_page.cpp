#include "html_page.hpp"

#include "text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

namespace ipch {

// Compiled in from files by embed_text.cmake (reports/CMakeLists.txt).
extern const std::string_view chartjs_source; // Debian's libjs-chart.js, chart.min.js
extern const std::string_view html_script;    // reports/html_report.js
extern const std::string_view html_style;     // reports/html_report.css

namespace {

using Json = nlohmann::ordered_json;

// The percentiles the latency chart plots, and their labels.
constexpr double latency_percentiles[] = {50, 75, 90, 95, 99, 99.9, 100};

// Spans a page draws in all, whatever the number of cases: a suite of hundreds of cases stays a
// few MB and renders in a browser in seconds. Each case gets an equal share, at least a floor.
constexpr std::size_t page_span_budget = 60'000;
constexpr std::size_t case_span_floor = 500;

std::size_t spans_per_case(const HtmlDocument& document) {
    std::size_t timelines = 0;
    for (const ScenarioResult* scenario : document.cases)
        timelines += scenario->timeline ? 1 : 0;
    return std::max(case_span_floor, page_span_budget / std::max<std::size_t>(timelines, 1));
}

// Of the timeline's kept spans, every step-th and every violation's, step chosen so that about
// `limit` remain.
std::size_t page_step(const Timeline& timeline, std::size_t limit) {
    return (timeline.spans.size() + limit - 1) / std::max<std::size_t>(limit, 1);
}

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

std::string nanoseconds(std::optional<std::uint64_t> ns) {
    return ns ? std::to_string(*ns) : "-";
}

// The data block sits inside <script type="application/json">: no '<' may appear in it, or
// "</script>" in a name would end the block. Outside strings JSON has no < > &, so escaping every
// one as \u00XX changes no value.
std::string script_safe(const std::string& json) {
    std::string out;
    out.reserve(json.size());
    for (const char c : json) {
        if (c == '<')
            out += "\\u003c";
        else if (c == '>')
            out += "\\u003e";
        else if (c == '&')
            out += "\\u0026";
        else
            out += c;
    }
    return out;
}

void write_summary(std::ostream& out, const HtmlDocument& document) {
    out << "<section id=\"summary\"><h2>Summary</h2><table>\n";
    for (const auto& [label, value] : document.summary)
        out << "<tr><th>" << html_text(label) << "</th><td>" << html_text(value) << "</td></tr>\n";
    out << "</table></section>\n";
}

void write_charts(std::ostream& out, const HtmlDocument& document) {
    if (!document.latency.empty())
        out << "<section id=\"latency\"><h2>Lock wait distribution per backend and agent count"
               "</h2><p class=\"note\">Percentiles of the time from asking for the lock to "
               "holding it (ns, log scale), every counted section.</p><div class=\"chart\">"
               "<canvas id=\"latency-chart\"></canvas></div></section>\n";
    if (!document.throughput.empty())
        out << "<section id=\"throughput\"><h2>Throughput vs agents</h2><p class=\"note\">"
               "Critical sections per second, all agents together, per backend.</p><div "
               "class=\"chart\"><canvas id=\"throughput-chart\"></canvas></div></section>\n";
}

// One row per case: its Jain index, and per agent a bar as long as its share of the busiest
// agent's sections.
void write_fairness(std::ostream& out, const HtmlDocument& document) {
    if (document.fairness.empty()) return;
    out << "<section id=\"fairness\"><h2>Fairness per agent</h2>\n<table class=\"fairness\">"
           "<tr><th>case</th><th>Jain's index</th><th>sections per agent</th></tr>\n";
    for (const HtmlFairness& case_fairness : document.fairness) {
        std::uint64_t most = 1;
        for (const auto& [agent, count] : case_fairness.sections)
            most = std::max(most, count);
        out << "<tr><td>" << html_text(case_fairness.label) << "</td><td>"
            << (case_fairness.jain ? fixed(*case_fairness.jain, 3) : "-") << "</td><td>";
        for (const auto& [agent, count] : case_fairness.sections)
            out << "<div class=\"share\"><span class=\"bar\" style=\"width:"
                << fixed(200.0 * static_cast<double>(count) / static_cast<double>(most), 1)
                << "px\"></span> " << html_text(agent) << ": " << count << "</div>";
        out << "</td></tr>\n";
    }
    out << "</table></section>\n";
}

// The properties any case judged, in the order they first appear: the matrix's columns.
std::vector<std::string> judged_properties(const HtmlDocument& document) {
    std::vector<std::string> properties;
    for (const ScenarioResult* scenario : document.cases)
        for (const PropertyOutcome& property : scenario->properties)
            if (std::find(properties.begin(), properties.end(), property.result.id) ==
                properties.end())
                properties.push_back(property.result.id);
    return properties;
}

const PropertyOutcome* find_property(const ScenarioResult& scenario, const std::string& id) {
    for (const PropertyOutcome& property : scenario.properties)
        if (property.result.id == id) return &property;
    return nullptr;
}

// A cell's classes: the verdict, then how it stands against what the case required of it. A
// negative control's fail is "expected" (drawn as a success), a requirement not met "unmet"
// (drawn as a failure whatever the verdict), and a verdict only reported "info".
std::string cell_classes(const PropertyOutcome& property) {
    std::string classes = "cell " + std::string(to_string(property.result.verdict));
    if (!property.met) return classes + " unmet";
    if (property.requirement == Requirement::fail) return classes + " expected";
    if (property.requirement == Requirement::info) return classes + " info";
    return classes + " met";
}

// Markup, short: the class carries the rest; a negative control's cell says a fail was
// expected (on a line of its own, so that the column stays narrow).
std::string cell_text(const PropertyOutcome& property) {
    const std::string verdict = property.result.verdict == Verdict::not_applicable
                                    ? "n/a"
                                    : std::string(to_string(property.result.verdict));
    if (property.requirement == Requirement::fail)
        return verdict +
               (property.met ? " <small>expected</small>" : " <small>fail expected</small>");
    return verdict;
}

// The hover text, escaped: what was required, the detail and the first violation, a line each
// (&#10;: a line break inside the attribute).
std::string cell_title(const PropertyOutcome& property) {
    std::string title = html_text(property.result.id) + ": " +
                        std::string(to_string(property.result.verdict)) +
                        "; requirement: " + std::string(to_string(property.requirement)) +
                        "; met: " + (property.met ? "yes" : "no");
    if (!property.result.detail.empty()) title += "&#10;" + html_text(property.result.detail);
    if (!property.result.evidence.empty())
        title += "&#10;" + html_text(property.result.evidence[0].summary);
    return title;
}

void write_matrix_cell(std::ostream& out, const ScenarioResult& scenario,
                       const std::string& property_id, std::size_t number) {
    const PropertyOutcome* property = find_property(scenario, property_id);
    if (!property) {
        out << "<td class=\"cell none\" data-property=\"" << html_text(property_id) << "\">-</td>";
        return;
    }
    out << "<td class=\"" << cell_classes(*property) << "\" data-property=\""
        << html_text(property_id) << "\" title=\"" << cell_title(*property) << "\"><a href=\"#case-"
        << number << "\">" << cell_text(*property) << "</a></td>";
}

// The verdict matrix: a row per case, a column per property some case judged, each cell the
// case's verdict linked to its section below, the detail on hover.
void write_verdict_matrix(std::ostream& out, const HtmlDocument& document) {
    const std::vector<std::string> properties = judged_properties(document);
    if (properties.empty()) return;
    out << "<section id=\"verdict-matrix\"><h2>Verdicts per case</h2>\n<div class=\"wide\">"
           "<table class=\"verdicts\"><tr><th>case</th>";
    for (const std::string& property : properties)
        out << "<th class=\"property\"><span>" << html_text(property) << "</span></th>";
    out << "</tr>\n";
    for (std::size_t i = 0; i < document.cases.size(); ++i) {
        const ScenarioResult& scenario = *document.cases[i];
        const OutcomeInfo& outcome = outcome_info(scenario.outcome);
        out << "<tr class=\"case-row\"><th class=\"" << outcome.name << "\" title=\""
            << html_text(scenario.path) << "\"><a href=\"#case-" << i + 1 << "\">"
            << html_text(scenario.name.empty() ? scenario.path : scenario.name) << "</a></th>";
        for (const std::string& property : properties)
            write_matrix_cell(out, scenario, property, i + 1);
        out << "</tr>\n";
    }
    out << "</table></div><p class=\"note\">Green: the requirement was met (a negative control's "
           "expected fail included); red: not met; grey: reported only, or not applicable; "
           "-: not judged in that case. A cell links to its case; hover for the detail.</p>"
           "</section>\n";
}

void write_evidence(std::ostream& out, const PropertyResult& property) {
    out << "<tr><td colspan=\"5\"><div class=\"evidence\">";
    for (const Evidence& evidence : property.evidence) {
        out << html_text(evidence.summary) << "\n";
        for (const EvidenceEvent& event : evidence.events)
            out << "  " << html_text(describe_event(event)) << "\n";
    }
    out << html_text(unshown_violations(property)) << "</div></td></tr>\n";
}

void write_properties(std::ostream& out, const ScenarioResult& scenario) {
    if (scenario.properties.empty()) return;
    out << "<table class=\"properties\"><tr><th>property</th><th>verdict</th><th>required</th>"
           "<th>met</th><th>detail</th></tr>\n";
    for (const PropertyOutcome& property : scenario.properties) {
        const std::string verdict(to_string(property.result.verdict));
        out << "<tr class=\"property\"><td>" << html_text(property.result.id) << "</td><td class=\""
            << verdict << "\">" << verdict << "</td><td>" << to_string(property.requirement)
            << "</td><td class=\"" << (property.met ? "pass" : "fail") << "\">"
            << (property.met ? "yes" : "no") << "</td><td>" << html_text(property.result.detail)
            << "</td></tr>\n";
        if (!property.result.evidence.empty()) write_evidence(out, property.result);
    }
    out << "</table>\n";
}

void write_requirements(std::ostream& out, const ScenarioResult& scenario) {
    if (scenario.requirements.empty()) return;
    out << "<table class=\"requirements\"><tr><th>expectation</th><th>met</th><th>detail</th>"
           "</tr>\n";
    for (const RequirementResult& requirement : scenario.requirements)
        out << "<tr><td>" << html_text(requirement.name) << "</td><td class=\""
            << (requirement.met ? "pass" : "fail") << "\">" << (requirement.met ? "yes" : "no")
            << "</td><td>" << html_text(requirement.detail) << "</td></tr>\n";
    out << "</table>\n";
}

void write_agents(std::ostream& out, const ScenarioResult& scenario) {
    if (scenario.agents.empty()) return;
    const Timeline* timeline = scenario.timeline ? &*scenario.timeline : nullptr;
    out << "<table class=\"agents\"><tr><th>agent</th><th>end</th><th>events</th><th>sections</th>"
           "<th>wait p50 / p99 / max (ns)</th><th>log</th></tr>\n";
    for (std::size_t i = 0; i < scenario.agents.size(); ++i) {
        const AgentSummary& agent = scenario.agents[i];
        const TimelineLane* lane =
            timeline && i < timeline->lanes.size() ? &timeline->lanes[i] : nullptr;
        std::string end(to_string(agent.end));
        if (agent.signal != 0) end += " (signal " + std::to_string(agent.signal) + ")";
        if (agent.exit_code != 0) end += " (exit " + std::to_string(agent.exit_code) + ")";
        out << "<tr><td>" << html_text(agent.name) << "</td><td>" << end << "</td><td>"
            << agent.events << "</td><td>" << (lane ? std::to_string(lane->sections) : "-")
            << "</td><td>"
            << (lane ? nanoseconds(lane->wait_p50) + " / " + nanoseconds(lane->wait_p99) + " / " +
                           nanoseconds(lane->wait_max)
                     : "-")
            << "</td><td>" << html_text(agent.log_damage.empty() ? "whole" : agent.log_damage)
            << "</td></tr>\n";
    }
    out << "</table>\n";
}

void write_timeline(std::ostream& out, const Timeline& timeline, std::size_t number,
                    std::size_t limit) {
    out << "<h4>Lock ownership</h4><div class=\"timeline\" data-timeline=\"" << number
        << "\"></div><p class=\"note\">" << timeline.sections << " critical sections";
    if (timeline.keep_one_in > 1)
        out << "; shown: of each " << timeline.keep_one_in
            << " consecutive sections of an agent the one that waited longest, and every one in "
               "a violation's evidence";
    if (page_step(timeline, limit) > 1)
        out << "; of those, every " << page_step(timeline, limit)
            << "th (this page's share) and every violation's";
    out << ". Yellow: waiting for the lock; blue: holding it; red: a violation's evidence; "
           "black line: a crash. Wheel: zoom; drag: pan; double click: whole run.</p>\n";
}

void write_case(std::ostream& out, const ScenarioResult& scenario, std::size_t number,
                std::size_t& timelines, std::size_t limit) {
    const OutcomeInfo& outcome = outcome_info(scenario.outcome);
    out << "<section class=\"case\" id=\"case-" << number << "\"><h3><span class=\"" << outcome.name
        << "\">" << outcome.label << "</span> " << html_text(scenario.name)
        << "</h3>\n<p class=\"note\">" << html_text(scenario.path);
    if (scenario.seed) out << " &middot; seed " << *scenario.seed;
    out << " &middot; " << format_seconds(scenario.duration_s) << " s &middot; " << scenario.events
        << " events";
    if (!scenario.run_dir.empty()) out << " &middot; kept: " << html_text(scenario.run_dir);
    out << "</p>\n";
    for (const std::string& message : scenario.messages)
        out << "<p class=\"evidence\">" << html_text(message) << "</p>\n";
    write_properties(out, scenario);
    write_requirements(out, scenario);
    write_agents(out, scenario);
    if (scenario.timeline) write_timeline(out, *scenario.timeline, timelines++, limit);
    out << "</section>\n";
}

Json latency_json(const HtmlLatency& latency) {
    Json points = Json::array();
    for (const double p : latency_percentiles) {
        const std::optional<std::uint64_t> value = latency.wait.percentile(p);
        if (value) points.push_back(Json::array({p, *value}));
    }
    return Json{{"label", console_text(latency.label)}, {"points", points}};
}

Json throughput_json(const std::vector<HtmlThroughput>& throughput) {
    std::vector<std::string> backends;
    for (const HtmlThroughput& point : throughput)
        if (std::find(backends.begin(), backends.end(), point.backend) == backends.end())
            backends.push_back(point.backend);
    Json series = Json::array();
    for (const std::string& backend : backends) {
        Json points = Json::array();
        for (const HtmlThroughput& point : throughput)
            if (point.backend == backend)
                points.push_back(Json::array({point.agents, point.per_s}));
        series.push_back(Json{{"backend", console_text(backend)}, {"points", points}});
    }
    return series;
}

// Times relative to the timeline's begin, in ns: a span is [lane, requested, acquired,
// released, stamp, flags] with flags 1 violation, 2 unreleased; a mark [lane, time, kind
// ("crash" or "violation"), stamp, what].
Json timeline_json(const Timeline& timeline, std::size_t limit) {
    const std::size_t step = page_step(timeline, limit);
    const auto at = [&](std::uint64_t time) { return time - std::min(time, timeline.begin); };
    Json lanes = Json::array();
    for (const TimelineLane& lane : timeline.lanes)
        lanes.push_back(console_text(lane.name));
    Json spans = Json::array();
    for (std::size_t i = 0; i < timeline.spans.size(); ++i) {
        const TimelineSpan& span = timeline.spans[i];
        if (step > 1 && i % step != 0 && !span.violation && !span.unreleased) continue;
        spans.push_back(
            Json::array({span.lane, at(span.requested), at(span.acquired), at(span.released),
                         span.stamp, (span.violation ? 1 : 0) | (span.unreleased ? 2 : 0)}));
    }
    Json marks = Json::array();
    for (const TimelineMark& mark : timeline.marks)
        marks.push_back(Json::array({mark.lane, at(mark.time),
                                     mark.kind == TimelineMark::Kind::crash ? "crash" : "violation",
                                     mark.stamp, console_text(mark.what)}));
    return Json{{"end", at(timeline.end)}, {"lanes", lanes}, {"spans", spans}, {"marks", marks}};
}

// Text in the data is made safe as html_text's first step (console_text), then JSON-escaped by
// the writer; the script only ever puts it into textContent, never into markup. `limit`: the
// spans each timeline draws (spans_per_case).
Json page_data(const HtmlDocument& document, std::size_t limit) {
    Json latency = Json::array();
    for (const HtmlLatency& entry : document.latency)
        latency.push_back(latency_json(entry));
    Json timelines = Json::array();
    for (const ScenarioResult* scenario : document.cases)
        if (scenario->timeline) timelines.push_back(timeline_json(*scenario->timeline, limit));
    return Json{{"latency", latency},
                {"throughput", throughput_json(document.throughput)},
                {"timelines", timelines}};
}

} // namespace

std::string html_text(std::string_view raw) {
    const std::string safe = sanitize(raw, TextSink::console);
    std::string out;
    out.reserve(safe.size());
    for (const char c : safe) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

void add_charts(HtmlDocument& document, const std::vector<HtmlChartCase>& cases) {
    using Key = std::pair<std::string, std::uint32_t>; // backend, agents
    std::map<Key, LogHistogram> waits;
    std::map<Key, std::pair<double, int>> rates; // sum, cases
    for (const HtmlChartCase& chart_case : cases) {
        const Key key{chart_case.backend, chart_case.agents};
        waits[key].merge(*chart_case.wait);
        if (chart_case.per_s) {
            rates[key].first += *chart_case.per_s;
            ++rates[key].second;
        }
    }
    for (const auto& [key, wait] : waits)
        if (wait.count() > 0)
            document.latency.push_back(
                HtmlLatency{key.first + ", " + plural(key.second, "agent"), wait});
    for (const auto& [key, sum] : rates)
        document.throughput.push_back(
            HtmlThroughput{key.first, key.second, sum.first / sum.second});
}

void write_html(std::ostream& out, const HtmlDocument& document) {
    out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
        << html_text(document.title) << "</title>\n<style>\n"
        << html_style << "</style></head>\n<body>\n<h1>" << html_text(document.title) << "</h1>\n";
    write_summary(out, document);
    if (!document.extra_title.empty())
        out << "<section id=\"extra\"><h2>" << html_text(document.extra_title) << "</h2>\n"
            << document.extra_html << "</section>\n";
    write_verdict_matrix(out, document);
    write_charts(out, document);
    write_fairness(out, document);
    const std::size_t limit = spans_per_case(document);
    if (!document.cases.empty()) {
        out << "<section id=\"cases\"><h2>Cases</h2>\n";
        std::size_t timelines = 0;
        for (std::size_t i = 0; i < document.cases.size(); ++i)
            write_case(out, *document.cases[i], i + 1, timelines, limit);
        out << "</section>\n";
    }
    out << "<script type=\"application/json\" id=\"ipch-data\">"
        << script_safe(page_data(document, limit).dump()) << "</script>\n<script>\n"
        << chartjs_source << "\n</script>\n<script>\n"
        << html_script << "\n</script>\n</body></html>\n";
}

} // namespace ipch
