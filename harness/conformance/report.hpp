// What `ipc-harness conformance` reports, and its three writers: the console table, JSON and
// JUnit XML, each a function of the report.
#pragma once

#include "conformance/matrix.hpp"
#include "conformance/platform.hpp"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ipch::conformance {

struct Report {
    std::string suite; // the folder (or file) the cases came from
    std::string started_utc;
    double duration_s = 0;
    std::uint64_t seed = 0; // every case's seed derives from it
    std::string shard;      // "K/N" when --shard ran a slice of the cells, else ""
    Platform platform;
    Matrix matrix;
    std::vector<CaseRun> runs; // every case run, isolation's two runs each
    // SIGINT, SIGTERM or SIGHUP when the suite was interrupted (the cases after it did not
    // run), else 0.
    int interrupt_signal = 0;
    bool interrupted() const { return interrupt_signal != 0; }
};

// The table (rows: backends, columns: properties abbreviated, with a legend), then each failing
// cell with its evidence and each observed value. `quiet`: the table and the failures only.
// `color`: FAIL cells red and pass cells green (console_report.hpp's use_color decides).
void write_console(std::ostream& out, const Report& report, bool quiet, bool color = false);

// conformance.json: the platform, the matrix with each cell's evidence, and every case's result.
void write_json(std::ostream& out, const Report& report);

// junit.xml: a testsuite per backend, a testcase per property; a fail cell is a failure with its
// evidence, an observed one passes with the value in system-out, not-applicable and unknown
// are skipped with the reason.
void write_junit(std::ostream& out, const Report& report);

// --markdown: the matrix and the failing cells, for a CI job's summary page.
void write_markdown(std::ostream& out, const Report& report);
// conformance.html: the matrix, each cell linked to its case, then every case's verdicts,
// evidence and timeline (reports/html_page.hpp).
void write_html(std::ostream& out, const Report& report);

// The column heading of a property in the console table ("MUTX" for mutual-exclusion).
std::string abbreviation(const std::string& property);

} // namespace ipch::conformance
