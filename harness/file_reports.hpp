// The report files `run` and `check` write, each where its option says (none where none is
// given): JUnit, JSON, Markdown, HTML, Chrome trace.
#pragma once

#include "results.hpp"

#include <string>

namespace ipch {

struct ReportPaths {
    std::string junit;    // --junit
    std::string json;     // --json
    std::string markdown; // --markdown: a summary for a CI job's page
    std::string html;     // --html: one self-contained page
    std::string trace;    // --trace: Chrome Trace Event JSON

    // The HTML page and the trace draw each case's timeline (harness/timeline.hpp).
    bool want_timelines() const { return !html.empty() || !trace.empty(); }
};

// Writes every report that has a path; false when one could not be written (each logged).
bool write_file_reports(const RunResults& results, const ReportPaths& paths);

// The paths given, each after a space: " out/junit.xml out/results.json".
std::string report_list(const ReportPaths& paths);

} // namespace ipch
