// The HTML report's page: one self-contained file (inline styles, script and Chart.js) made of
// the sections every command that writes one fills (run, conformance, stress): a summary, the
// conformance matrix, the verdict matrix (a row per case, a column per property judged), latency
// and throughput charts, fairness per agent, and each case with its verdicts, evidence and
// lock-ownership timeline.
#pragma once

#include "metrics/histogram.hpp"
#include "results.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ipch {

// `raw` as HTML text, safe in element content and in quoted attributes: first made safe as for
// the console (text.hpp: invalid UTF-8, controls and bidirectional overrides as \xNN), then
// & < > " ' as character references.
std::string html_text(std::string_view raw);

// A latency distribution: the lock waits of a backend at an agent count.
struct HtmlLatency {
    std::string label; // "named_mutex, 4 agents"
    LogHistogram wait;
};

struct HtmlThroughput {
    std::string backend;
    std::uint32_t agents = 0;
    double per_s = 0; // critical sections per second
};

struct HtmlFairness {
    std::string label;                                           // the case
    std::vector<std::pair<std::string, std::uint64_t>> sections; // per agent
    std::optional<double> jain;
};

struct HtmlDocument {
    std::string title;
    std::vector<std::pair<std::string, std::string>> summary; // label, value (raw text)
    // A section of the command's own after the summary (conformance: the matrix; stress: its
    // cases): a heading, and markup already escaped. None when the title is empty.
    std::string extra_title;
    std::string extra_html;
    std::vector<HtmlLatency> latency;
    std::vector<HtmlThroughput> throughput;
    std::vector<HtmlFairness> fairness;
    std::vector<const ScenarioResult*> cases; // each with its verdicts, evidence, timeline
};

// A case as the charts see it: its backend, how many agents took part, its lock waits and its
// throughput.
struct HtmlChartCase {
    std::string backend;
    std::uint32_t agents = 0;
    const LogHistogram* wait = nullptr; // not null
    std::optional<double> per_s;
};

// The document's latency and throughput series from `cases`, grouped by backend and agent
// count: their waits merged (a group that never waited has no series), their throughputs
// averaged.
void add_charts(HtmlDocument& document, const std::vector<HtmlChartCase>& cases);

void write_html(std::ostream& out, const HtmlDocument& document);

} // namespace ipch
