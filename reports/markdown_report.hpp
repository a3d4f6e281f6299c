// The Markdown report (`--markdown FILE`): one screen for a CI job's summary page (GitHub's
// $GITHUB_STEP_SUMMARY, a GitLab merge request note): the totals, each failure with its evidence
// folded, and a table of the scenarios.
#pragma once

#include "results.hpp"

#include <cstddef>
#include <iosfwd>

namespace ipch {

struct MarkdownLimits {
    // A summary page has a size limit (GitHub: 1 MiB per step) and a reader's patience: past
    // these, the rest is counted and left to the JUnit and JSON reports.
    std::size_t table_rows = 100;    // more scenarios: the table lists the failing ones only
    std::size_t failures = 20;       // shown with their evidence; the rest by name
    std::size_t evidence_lines = 40; // per failing property
};

// Every string from a scenario, an agent or the checker is escaped (markdown_text.hpp).
void write_markdown_report(std::ostream& out, const RunResults& results,
                           const MarkdownLimits& limits = {});

} // namespace ipch
