// The HTML report of `run` (reports/html_page.hpp writes the page): the summary, the verdict
// matrix, the latency distribution per backend and agent count, throughput vs agents, fairness
// per agent, and every case with its verdicts, evidence and lock-ownership timeline.
#pragma once

#include "html_page.hpp"
#include "results.hpp"

#include <iosfwd>
#include <string>

namespace ipch {

// The page's content for these results. Cases that ran (they have a timeline) are grouped by
// backend and agent count for the charts: their waits merged, their throughputs averaged.
HtmlDocument html_document(const RunResults& results, std::string title = "ipc-harness run");

void write_html_report(std::ostream& out, const RunResults& results);

} // namespace ipch
