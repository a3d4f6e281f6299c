// junit.xml for CI: a testsuite per backend, a testcase per property (a cell). Findings are
// failures; a value observed passes with the value in system-out; a cell nothing decided is
// skipped with the reason.
#include "conformance/report.hpp"
#include "text.hpp"

#include <pugixml.hpp>

namespace ipch::conformance {

namespace {

struct Counts {
    std::size_t tests = 0;
    std::size_t failures = 0;
    std::size_t skipped = 0;
};

// xml_text keeps out what XML 1.0 forbids even as a character reference; pugixml escapes markup.
void add_attribute(pugi::xml_node node, const char* name, const std::string& raw) {
    node.append_attribute(name).set_value(xml_text(raw).c_str());
}

void add_child_text(pugi::xml_node node, const char* name, const std::string& raw) {
    node.append_child(name).text().set(xml_text(raw).c_str());
}

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
        failure.text().set(xml_text(cell.detail + "\n" + where).c_str());
    } else if (cell.state == "not-applicable" || cell.state == "unknown") {
        ++counts.skipped;
        add_attribute(testcase.append_child("skipped"), "message", cell.state + ": " + cell.detail);
    } else {
        add_child_text(testcase, "system-out", cell.state + ": " + cell.detail + "\n" + where);
    }
}

void set_counts(pugi::xml_node node, const Counts& counts) {
    node.append_attribute("tests").set_value(counts.tests);
    node.append_attribute("failures").set_value(counts.failures);
    node.append_attribute("errors").set_value(0);
    node.append_attribute("skipped").set_value(counts.skipped);
}

} // namespace

void write_junit(std::ostream& out, const Report& report) {
    pugi::xml_document document;
    pugi::xml_node declaration = document.append_child(pugi::node_declaration);
    declaration.append_attribute("version").set_value("1.0");
    declaration.append_attribute("encoding").set_value("UTF-8");
    pugi::xml_node root = document.append_child("testsuites");
    root.append_attribute("name").set_value("ipc-harness conformance");
    // Only 3 decimal places because the Surefire schema demands it.
    root.append_attribute("time").set_value(format_seconds(report.duration_s).c_str());

    const Matrix& matrix = report.matrix;
    Counts totals;
    for (std::size_t row = 0; row < matrix.backends.size(); ++row) {
        const std::string backend = backend_name(matrix.backends[row]);
        // Counts go after the test cases are known; a scratch suite collects them first.
        pugi::xml_node suite = root.append_child("testsuite");
        add_attribute(suite, "name", backend);
        Counts counts;
        pugi::xml_document cases;
        for (std::size_t column = 0; column < matrix.properties.size(); ++column)
            add_cell(cases, backend, matrix.properties[column], matrix.cells[row][column], counts);
        set_counts(suite, counts);
        for (pugi::xml_node testcase : cases.children())
            suite.append_copy(testcase);
        totals.tests += counts.tests;
        totals.failures += counts.failures;
        totals.skipped += counts.skipped;
    }
    set_counts(root, totals);
    document.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
}

} // namespace ipch::conformance
