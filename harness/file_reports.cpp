#include "file_reports.hpp"

#include "html_report.hpp"
#include "json_report.hpp"
#include "junit_report.hpp"
#include "markdown_report.hpp"
#include "report_files.hpp"
#include "trace_report.hpp"

namespace ipch {

bool write_file_reports(const RunResults& results, const ReportPaths& paths) {
    bool written =
        write_report(paths.junit, [&](std::ostream& out) { write_junit_report(out, results); });
    written &=
        write_report(paths.json, [&](std::ostream& out) { write_json_report(out, results); });
    written &= write_report(paths.markdown,
                            [&](std::ostream& out) { write_markdown_report(out, results); });
    written &=
        write_report(paths.html, [&](std::ostream& out) { write_html_report(out, results); });
    written &=
        write_report(paths.trace, [&](std::ostream& out) { write_trace_report(out, results); });
    return written;
}

std::string report_list(const ReportPaths& paths) {
    std::string list;
    for (const std::string* path :
         {&paths.junit, &paths.json, &paths.markdown, &paths.html, &paths.trace})
        if (!path->empty()) list += " " + *path;
    return list;
}

} // namespace ipch
