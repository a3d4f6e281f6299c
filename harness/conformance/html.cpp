// conformance.html: the matrix (a cell per backend and property, linked to the case that
// decided it), then every case run with its verdicts, evidence and timeline, on the page the
// `run` report uses (reports/html_page.hpp).
#include "conformance/report.hpp"
#include "html_report.hpp"
#include "text.hpp"

#include <ostream>
#include <sstream>

namespace ipch::conformance {

namespace {

// The number (from 1) of the page's case section that decided the cell, or 0.
std::size_t case_number(const Report& report, const Backend& backend, const Cell& cell) {
    for (std::size_t i = 0; i < report.runs.size(); ++i)
        if (report.runs[i].backend == backend && report.runs[i].result.name == cell.case_name)
            return i + 1;
    return 0;
}

std::string matrix_html(const Report& report) {
    std::ostringstream out;
    out << "<table class=\"matrix\"><tr><th>backend</th>";
    for (const std::string& property : report.matrix.properties)
        out << "<th title=\"" << html_text(property) << "\">" << html_text(abbreviation(property))
            << "</th>";
    out << "</tr>\n";
    for (std::size_t row = 0; row < report.matrix.backends.size(); ++row) {
        const Backend& backend = report.matrix.backends[row];
        out << "<tr><th>" << html_text(backend_name(backend)) << "</th>";
        for (std::size_t column = 0; column < report.matrix.properties.size(); ++column) {
            const Cell& cell = report.matrix.cells[row][column];
            const std::string state = cell.state.empty() ? "none" : cell.state;
            out << "<td class=\"cell " << html_text(state) << "\" data-backend=\""
                << html_text(backend_name(backend)) << "\" data-property=\""
                << html_text(report.matrix.properties[column]) << "\" title=\""
                << html_text(cell.detail) << "\">";
            const std::size_t number = case_number(report, backend, cell);
            if (number != 0) out << "<a href=\"#case-" << number << "\">";
            out << html_text(cell.state.empty() ? "-" : cell.state);
            if (number != 0) out << "</a>";
            out << "</td>";
        }
        out << "</tr>\n";
    }
    out << "</table><p class=\"note\">A cell links to the case that decided it; hover for its "
           "detail.</p>\n";
    return out.str();
}

} // namespace

void write_html(std::ostream& out, const Report& report) {
    RunResults results; // the page's summary and charts read the cases as a run's
    results.tool_version = report.platform.tool_version;
    results.started_utc = report.started_utc;
    results.duration_s = report.duration_s;
    results.seed = report.seed;
    results.interrupt_signal = report.interrupt_signal;
    for (const CaseRun& run : report.runs)
        results.scenarios.push_back(run.result);
    HtmlDocument document = html_document(results, "ipc-harness conformance");
    document.summary.insert(document.summary.begin(), {"suite", report.suite});
    document.summary.insert(document.summary.begin() + 2,
                            {"platform", report.platform.kernel + ", " + report.platform.libc +
                                             ", Boost " + report.platform.boost});
    document.extra_title = "Conformance matrix";
    document.extra_html = matrix_html(report);
    ipch::write_html(out, document);
}

} // namespace ipch::conformance
