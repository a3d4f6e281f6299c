// junit.xml for CI: a testsuite per backend, a testcase per property (a cell). Findings are
// failures; a value observed passes with the value in system-out; a cell nothing decided is
// skipped with the reason.
#include "conformance/report.hpp"
#include "junit_writer.hpp"

#include <algorithm>

namespace ipch::conformance {

namespace {

using junit::add_attribute;
using junit::Counts;
using junit::set_text;

void add_cell(pugi::xml_node suite, const std::string& backend, const std::string& property,
              const Cell& cell, Counts& counts) {
    if (cell.state.empty()) return; // no case of this backend measures it
    pugi::xml_node testcase = suite.append_child("testcase");
    add_attribute(testcase, "classname", backend);
    add_attribute(testcase, "name", property);
    ++counts.tests;
    const std::string where =
        "case " + cell.case_name + (cell.run_dir.empty() ? "" : "\nevidence: " + cell.run_dir);
    if (cell.state == "fail") {
        ++counts.failures;
        pugi::xml_node failure = testcase.append_child("failure");
        add_attribute(failure, "message", cell.detail);
        add_attribute(failure, "type", "fail");
        set_text(failure, cell.detail + "\n" + where);
    } else if (cell.state == "not-applicable" || cell.state == "unknown") {
        ++counts.skipped;
        add_attribute(testcase.append_child("skipped"), "message", cell.state + ": " + cell.detail);
    } else {
        set_text(testcase.append_child("system-out"),
                 cell.state + ": " + cell.detail + "\n" + where);
    }
}

bool has_cells(const std::vector<Cell>& row) {
    return std::any_of(row.begin(), row.end(),
                       [](const Cell& cell) { return !cell.state.empty(); });
}

} // namespace

void write_junit(std::ostream& out, const Report& report) {
    pugi::xml_document document;
    pugi::xml_node root = junit::start_document(document, "ipc-harness conformance");
    // Jenkins' schema allows `skipped` on a <testsuite> only, not on <testsuites> (the run's
    // report writes its root the same way); xmllint checks it in the tests.
    junit::add_count_placeholders(root, false);
    junit::add_time(root, report.duration_s);

    const Matrix& matrix = report.matrix;
    Counts totals;
    for (std::size_t row = 0; row < matrix.backends.size(); ++row) {
        const std::string backend = backend_name(matrix.backends[row]);
        if (!report.shard.empty() && !has_cells(matrix.cells[row])) continue;
        pugi::xml_node suite = root.append_child("testsuite");
        // Each shard holds some of a backend's cells: its suite is named after the shard too, so
        // that the shards' files merge with every testsuite name unique (the testcases are
        // already: a cell is one shard's).
        add_attribute(suite, "name",
                      report.shard.empty() ? backend : backend + " (shard " + report.shard + ")");
        junit::add_count_placeholders(suite, true);
        if (report.interrupted()) {
            pugi::xml_node property = suite.append_child("properties").append_child("property");
            add_attribute(property, "name", "interrupted");
            add_attribute(property, "value", "true");
        }
        Counts counts;
        for (std::size_t column = 0; column < matrix.properties.size(); ++column)
            add_cell(suite, backend, matrix.properties[column], matrix.cells[row][column], counts);
        junit::set_counts(suite, counts, true);
        totals += counts;
    }
    junit::set_counts(root, totals, false);
    junit::save(document, out);
}

} // namespace ipch::conformance
