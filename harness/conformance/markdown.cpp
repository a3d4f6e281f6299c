// conformance --markdown: the matrix for a CI job's summary page. Markdown tables have room
// enough for a word per cell, so the columns carry the properties' abbreviations (the legend
// follows) and each cell a mark and its state; fail cells are listed under it with their detail.
#include "conformance/report.hpp"
#include "markdown_text.hpp"
#include "text.hpp"

#include <ostream>

namespace ipch::conformance {

namespace {

std::string cell_text(const std::string& state) {
    if (state.empty()) return "";
    if (state == "pass") return "\u2705 pass";
    if (state == "fail") return "\u274c **FAIL**";
    if (state == "not-applicable") return "n/a";
    if (state == "unknown") return "?";
    return markdown_text(state); // a value observed
}

void write_matrix(std::ostream& out, const Matrix& matrix) {
    out << "| backend |";
    for (const std::string& property : matrix.properties)
        out << " " << abbreviation(property) << " |";
    out << "\n|---|";
    for (std::size_t i = 0; i < matrix.properties.size(); ++i)
        out << ":-:|";
    out << "\n";
    for (std::size_t row = 0; row < matrix.backends.size(); ++row) {
        out << "| " << markdown_text(backend_name(matrix.backends[row])) << " |";
        for (const Cell& cell : matrix.cells[row])
            out << " " << cell_text(cell.state) << " |";
        out << "\n";
    }
    out << "\n";
    const char* separator = "";
    for (const std::string& property : matrix.properties) {
        out << separator << abbreviation(property) << " " << markdown_text(property);
        separator = " \u00b7 ";
    }
    out << "\n\n";
}

void write_failures(std::ostream& out, const Matrix& matrix) {
    bool any = false;
    for (std::size_t row = 0; row < matrix.backends.size(); ++row)
        for (std::size_t column = 0; column < matrix.properties.size(); ++column) {
            const Cell& cell = matrix.cells[row][column];
            if (cell.state != "fail") continue;
            if (!any) out << "### Failing cells\n\n";
            any = true;
            out << "- **" << markdown_text(backend_name(matrix.backends[row])) << "**, "
                << markdown_text(matrix.properties[column]) << ": " << markdown_text(cell.detail)
                << " (case " << markdown_text(cell.case_name);
            if (!cell.run_dir.empty()) out << "; evidence " << markdown_text(cell.run_dir);
            out << ")\n";
        }
    if (any) out << "\n";
}

std::size_t count_state(const Matrix& matrix, const std::string& state) {
    std::size_t count = 0;
    for (const auto& row : matrix.cells)
        for (const Cell& cell : row)
            if (cell.state == state) ++count;
    return count;
}

} // namespace

void write_markdown(std::ostream& out, const Report& report) {
    const std::size_t fails = count_state(report.matrix, "fail");
    out << "## ipc-harness conformance: " << report.matrix.backends.size() << " backend(s), "
        << fails << " failing cell(s)\n\n"
        << markdown_text(report.platform.kernel) << " \u00b7 suite " << markdown_text(report.suite)
        << " \u00b7 " << report.runs.size() << " case run(s) \u00b7 "
        << format_seconds(report.duration_s) << " s \u00b7 seed " << report.seed;
    if (!report.shard.empty()) out << " \u00b7 shard " << report.shard;
    if (report.interrupted()) out << " \u00b7 **interrupted**";
    out << "\n\n";
    write_matrix(out, report.matrix);
    write_failures(out, report.matrix);
}

} // namespace ipch::conformance
