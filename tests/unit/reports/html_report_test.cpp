// The HTML report's text: every string from a scenario or an agent escaped, the page
// self-contained. (tests/unit/integration/html_report_test.cpp renders it in headless Chromium.)
#include "html_report.hpp"
#include "report_fixtures.hpp"
#include "text.hpp"
#include "timeline_fixture.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

using namespace ipch;
using namespace ipch::test;

namespace {

std::string html_of(const RunResults& results) {
    std::ostringstream out;
    write_html_report(out, results);
    return out.str();
}

RunResults with_timeline(const std::string& name) {
    RunResults results = sample_results();
    results.scenarios.push_back(timeline_case(name));
    return results;
}

std::size_t occurrences(const std::string& text, const std::string& part) {
    std::size_t count = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
        ++count;
    return count;
}

// The page's data block, as the script reads it.
nlohmann::json page_data(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"ipch-data\">";
    const std::size_t begin = html.find(open) + open.size();
    return nlohmann::json::parse(html.substr(begin, html.find("</script>", begin) - begin));
}

// The verdict matrix's rows: per row, each cell's classes and text, in column order.
struct MatrixCell {
    std::string classes, property, text;
};
std::vector<std::vector<MatrixCell>> matrix_rows(const std::string& html) {
    const std::size_t begin = html.find("<section id=\"verdict-matrix\">");
    const std::string section = html.substr(begin, html.find("</section>", begin) - begin);
    std::vector<std::vector<MatrixCell>> rows;
    const std::regex row("<tr class=\"case-row\">([\\s\\S]*?)</tr>");
    const std::regex cell(
        "<td class=\"([^\"]*)\" data-property=\"([^\"]*)\"[^>]*>(?:<a href=\"#case-[0-9]+\">)?"
        "(.*?)(?:</a>)?</td>");
    for (auto r = std::sregex_iterator(section.begin(), section.end(), row);
         r != std::sregex_iterator(); ++r) {
        const std::string cells = (*r)[1];
        rows.emplace_back();
        for (auto c = std::sregex_iterator(cells.begin(), cells.end(), cell);
             c != std::sregex_iterator(); ++c)
            rows.back().push_back({(*c)[1], (*c)[2], (*c)[3]});
    }
    return rows;
}

} // namespace

TEST_CASE("html_text escapes markup and makes controls visible", "[html]") {
    CHECK(html_text("a&b<c>\"d\"'e'") == "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;");
    CHECK(html_text("bell\x07 \xff") == "bell\\x07 \\xFF");
    CHECK(html_text("\xe2\x80\xae"
                    "rtl") == "\\xE2\\x80\\xAErtl"); // a bidi override, shown
}

TEST_CASE("the HTML report is self-contained", "[html]") {
    const std::string html = html_of(with_timeline("two"));
    CHECK(html.starts_with("<!DOCTYPE html>"));
    CHECK(html.find("Chart.js v3") != std::string::npos); // inlined, not linked
    CHECK(html.find(" src=") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("href=\"http") == std::string::npos);
    CHECK(html.find("@import") == std::string::npos);
}

TEST_CASE("the HTML report holds each case, its evidence and its timeline", "[html]") {
    const std::string html = html_of(with_timeline("two"));
    CHECK(occurrences(html, "<section class=\"case\"") == 5);
    CHECK(html.find("two holders: two") != std::string::npos); // the evidence's summary
    CHECK(occurrences(html, "data-timeline=") == 1);
    const nlohmann::json data = page_data(html);
    REQUIRE(data["timelines"].size() == 1);
    CHECK(data["timelines"][0]["lanes"] == nlohmann::json::array({"alice", "two"}));
    CHECK(data["timelines"][0]["spans"].size() == 3);
    CHECK(data["timelines"][0]["spans"][1] == nlohmann::json::array({1, 200, 800, 1500, 2, 1}));
    REQUIRE(data["latency"].size() == 1);
    CHECK(data["latency"][0]["label"] == "named_mutex, 2 agents");
    CHECK(data["throughput"][0]["points"][0][0] == 2);
}

TEST_CASE("hostile names survive the HTML report intact and inert", "[html][hostile]") {
    RunResults results = hostile_results();
    results.scenarios.push_back(timeline_case(hostile));
    const std::string html = html_of(results);
    CHECK(is_valid_utf8(html));
    // Shown, escaped, in the markup...
    CHECK(html.find(html_text(hostile)) != std::string::npos);
    CHECK(html.find("a&amp;b&lt;c&gt; ]]&gt; &quot;dq&quot; &#39;sq&#39;") != std::string::npos);
    // ...never as markup: no <c> element, no raw control or bidi override anywhere.
    CHECK(html.find("<c>") == std::string::npos);
    const auto raw_controls = std::count_if(html.begin(), html.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 && c != '\n';
    });
    CHECK(raw_controls == 0);
    CHECK(html.find("\xe2\x80\xae") == std::string::npos);
    // In the verdict matrix: the case's name and hover text escaped like the rest.
    const std::size_t matrix = html.find("<section id=\"verdict-matrix\">");
    const std::string matrix_html = html.substr(matrix, html.find("</section>", matrix) - matrix);
    CHECK(matrix_html.find(">" + html_text(hostile) + "</a></th>") != std::string::npos);
    CHECK(matrix_html.find("met: no&#10;" + html_text(hostile) + "&#10;" + html_text(hostile) +
                           "\"") != std::string::npos);
    // In the data block: no '<' that could close it, and the name as the script will read it.
    const std::string open = "<script type=\"application/json\" id=\"ipch-data\">";
    const std::size_t begin = html.find(open) + open.size();
    const std::size_t end = html.find("</script>", begin);
    CHECK(html.substr(begin, end - begin).find('<') == std::string::npos);
    const nlohmann::json data = page_data(html);
    CHECK(data["timelines"][0]["lanes"][1] == sanitize(hostile, TextSink::console));
    CHECK(data["timelines"][0]["marks"][0][4] ==
          "mutual-exclusion: " + sanitize(hostile, TextSink::console));
}

TEST_CASE("the HTML report's verdict matrix: a row per case, a column per judged property",
          "[html][matrix]") {
    const std::string html = html_of(with_timeline("two"));
    // Near the top: after the summary, before the charts and the cases.
    REQUIRE(html.find("<section id=\"verdict-matrix\">") != std::string::npos);
    CHECK(html.find("<section id=\"verdict-matrix\">") < html.find("<section id=\"latency\">"));
    CHECK(html.find("<section id=\"summary\">") < html.find("<section id=\"verdict-matrix\">"));
    const auto rows = matrix_rows(html);
    REQUIRE(rows.size() == 5); // passed, failed, control, bad input, timeline "two"
    for (const auto& row : rows) {
        REQUIRE(row.size() == 4);
        CHECK(row[0].property == "mutual-exclusion");
        CHECK(row[1].property == "progress");
        CHECK(row[2].property == "fairness");
        CHECK(row[3].property == "persistence");
    }
    // The passing case: met, reported only, observed.
    CHECK(rows[0][0].classes == "cell pass met");
    CHECK(rows[0][2].classes == "cell not-applicable info");
    CHECK(rows[0][2].text == "n/a");
    CHECK(rows[0][3].classes == "cell observed info");
    // The failing case: a red cell, not met.
    CHECK(rows[1][0].classes == "cell fail unmet");
    CHECK(rows[1][0].text == "fail");
    CHECK(rows[1][2].classes == "cell none"); // fairness not judged in it
    // The negative control: its fail was required, shown as expected.
    CHECK(rows[2][0].classes == "cell fail expected");
    CHECK(rows[2][0].text == "fail <small>expected</small>");
    // The bad input judged nothing; its row is named by its path (it has no name).
    CHECK(html.find("<a href=\"#case-4\">scenarios/bad/unknown-key.yaml</a></th>") !=
          std::string::npos);
    for (const MatrixCell& cell : rows[3])
        CHECK(cell.classes == "cell none");
    // A cell links to its case's section and carries the detail on hover.
    CHECK(html.find("<a href=\"#case-2\">fail</a>") != std::string::npos);
    CHECK(html.find("title=\"mutual-exclusion: fail; requirement: must-hold; met: no&#10;3 "
                    "overlaps among 10 "
                    "critical sections&#10;alpha&#39;s &#39;write hello&#39;") !=
          std::string::npos);
}

TEST_CASE("a negative control that missed is shown as a failure in the matrix", "[html][matrix]") {
    RunResults results = sample_results();
    PropertyOutcome& control = results.scenarios[2].properties[0];
    control.result.verdict = Verdict::pass;
    control.result.evidence.clear();
    control.met = false;
    const auto rows = matrix_rows(html_of(results));
    REQUIRE(rows.size() == 4);
    CHECK(rows[2][0].classes == "cell pass unmet");
    CHECK(rows[2][0].text == "pass <small>fail expected</small>");
}
