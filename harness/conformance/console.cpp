// The console table: one line per backend, readable at 120 columns. Properties are four-letter
// columns explained by a legend; failures and observed values are listed under the table,
// since a cell has room for nothing but its state.
#include "conformance/report.hpp"
#include "text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace ipch::conformance {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 16> abbreviations{{
    {"mutual-exclusion", "MUTX"},
    {"no-torn-read", "TORN"},
    {"no-lost-update", "LOST"},
    {"read-latest", "RLAT"},
    {"writer-order", "WORD"},
    {"delivery", "DLVR"},
    {"create-open-race", "RACE"},
    {"open-missing", "MISS"},
    {"capacity", "CAPY"},
    {"abandoned-lock", "ABND"},
    {"persistence", "PERS"},
    {"isolation", "ISOL"},
    {"permissions", "PERM"},
    {"timed-lock", "TIME"},
    {"progress", "PROG"},
    {"fairness", "FAIR"},
}};

constexpr std::size_t backend_width = 24;
constexpr std::size_t cell_width = 6;

// pass, FAIL, n/a, ?, or the first four letters of a reported value's verdict (obse[rved]).
std::string symbol(const std::string& state) {
    if (state.empty()) return "";
    if (state == "pass") return "pass";
    if (state == "fail") return "FAIL";
    if (state == "not-applicable") return "n/a";
    if (state == "unknown") return "?";
    return state.substr(0, 4);
}

bool not_checked(const Cell& cell) {
    return cell.state == "unknown" && cell.detail.starts_with("not checked by this version");
}

// Padded to its column, except at the end of a line (no trailing blanks).
std::string padded(const std::string& text, std::size_t width) {
    return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

// A cell padded by its visible width, then painted: colour codes take no columns.
std::string painted(const std::string& cell, bool color) {
    std::string text = padded(cell, cell_width);
    const char* code = cell == "FAIL" ? "\x1b[31m" : cell == "pass" ? "\x1b[32m" : nullptr;
    if (color && code != nullptr) text = code + cell + "\x1b[0m" + text.substr(cell.size());
    return text;
}

void write_row(std::ostream& out, const std::string& head, const std::vector<std::string>& cells,
               bool color) {
    std::string line = padded(head, backend_width);
    for (const std::string& cell : cells)
        line += painted(cell, color);
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
}

void write_table(std::ostream& out, const Matrix& matrix, bool color) {
    std::vector<std::string> headings;
    for (const std::string& property : matrix.properties)
        headings.push_back(abbreviation(property));
    write_row(out, "backend", headings, false);
    for (std::size_t row = 0; row < matrix.backends.size(); ++row) {
        std::vector<std::string> symbols;
        for (const Cell& cell : matrix.cells[row])
            symbols.push_back(symbol(cell.state));
        write_row(out, backend_name(matrix.backends[row]), symbols, color);
    }
}

void write_legend(std::ostream& out, const Matrix& matrix) {
    std::string line;
    for (const std::string& property : matrix.properties) {
        const std::string entry = abbreviation(property) + " " + property;
        if (!line.empty() && line.size() + entry.size() + 2 > 100) {
            out << line << "\n";
            line.clear();
        }
        line += (line.empty() ? "" : "  ") + entry;
    }
    if (!line.empty()) out << line << "\n";
    out << "pass: held in every case; FAIL: failed in one (evidence below); n/a: not exercised; "
           "?: unknown; obse: observed (below)\n";
}

// Each cell of one kind, as "backend property: case: detail", and a kept run directory.
template <typename Keep>
void write_cells(std::ostream& out, const Matrix& matrix, const std::string& title, Keep keep) {
    bool first = true;
    for (std::size_t row = 0; row < matrix.backends.size(); ++row) {
        for (std::size_t column = 0; column < matrix.properties.size(); ++column) {
            const Cell& cell = matrix.cells[row][column];
            if (!keep(cell)) continue;
            if (std::exchange(first, false)) out << "\n" << title << ":\n";
            out << "  " << backend_name(matrix.backends[row]) << " " << matrix.properties[column]
                << ": " << console_text(cell.case_name) << ": " << console_text(cell.detail)
                << "\n";
            if (!cell.run_dir.empty())
                out << "    evidence: " << console_text(cell.run_dir) << "\n";
        }
    }
}

// The properties whose every unknown cell is one this version does not check: one line.
void write_not_checked(std::ostream& out, const Matrix& matrix) {
    std::string names;
    for (std::size_t column = 0; column < matrix.properties.size(); ++column) {
        const bool any = std::any_of(matrix.cells.begin(), matrix.cells.end(),
                                     [&](const auto& row) { return not_checked(row[column]); });
        if (any) names += (names.empty() ? "" : ", ") + matrix.properties[column];
    }
    if (!names.empty()) out << "\nnot checked by this version (?): " << names << "\n";
}

} // namespace

std::string abbreviation(const std::string& property) {
    for (const auto& [id, short_name] : abbreviations)
        if (id == property) return std::string(short_name);
    std::string short_name = property.substr(0, 4);
    for (char& c : short_name)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return short_name;
}

void write_console(std::ostream& out, const Report& report, bool quiet, bool color) {
    const Matrix& matrix = report.matrix;
    out << "conformance: " << matrix.backends.size() << " backends x " << matrix.properties.size()
        << " properties, " << report.runs.size() << " runs in " << format_seconds(report.duration_s)
        << " s" << (report.interrupted() ? ", interrupted" : "") << "\n";
    if (!quiet)
        out << "platform: " << console_text(report.platform.kernel) << "; " << report.platform.libc
            << "; Boost " << report.platform.boost << "; " << console_text(report.platform.cpu)
            << " x" << report.platform.cores << "\n";
    out << "\n";
    write_table(out, matrix, color);
    if (!quiet) {
        out << "\n";
        write_legend(out, matrix);
    }
    write_cells(out, matrix, "failures", [](const Cell& cell) { return cell.state == "fail"; });
    if (quiet) return;
    write_cells(out, matrix, "unknown",
                [](const Cell& c) { return c.state == "unknown" && !not_checked(c); });
    write_cells(out, matrix, "observed", [](const Cell& cell) {
        return !cell.state.empty() && cell.state != "fail" && cell.state != "unknown" &&
               cell.state != "pass" && cell.state != "not-applicable";
    });
    write_not_checked(out, matrix);
}

} // namespace ipch::conformance
