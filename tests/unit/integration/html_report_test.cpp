// The HTML report as a browser shows it: a real run's report opened in headless Chromium, its
// rendered DOM (--dump-dom, after the page's scripts ran) checked for the summary, drawn charts,
// a timeline lane per agent, the violations and crashes marked, the verdict matrix's cells, and a
// hostile scenario name shown as text. A screenshot is kept under
// build/dev/test-output/html-report/ for people. Skipped, with a message, where chromium is not
// installed (scripts/install-deps.sh installs it).
#include "harness_process.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

// True, with a warning, where chromium is not installed: the test is then skipped.
bool chromium_missing() {
    if (std::system("command -v chromium > /dev/null 2>&1") == 0) return false;
    WARN("chromium not found: the HTML rendering test is skipped (scripts/install-deps.sh "
         "installs it)");
    return true;
}

// Headless Chromium on `page` with `what` (--dump-dom, --screenshot=FILE); its stdout to `out`.
int chromium(const fs::path& page, const std::string& what, const fs::path& out,
             const fs::path& profile, const std::string& window) {
    const std::string command = "timeout 120 chromium --headless --no-sandbox --disable-gpu "
                                "--window-size=" +
                                window + " --user-data-dir='" + profile.string() + "' " + what +
                                " 'file://" + page.string() + "' > '" + out.string() +
                                "' 2> /dev/null";
    return std::system(command.c_str());
}

// Where screenshots are kept for people: build/dev/test-output/html-report/.
fs::path kept(const std::string& screenshot) {
    const fs::path folder = fs::path(IPCH_BIN_DIR).parent_path() / "test-output" / "html-report";
    fs::create_directories(folder);
    return folder / screenshot;
}

// `page` as Chromium renders it, in a `window` (width,height): its DOM once the page's scripts
// ran. With a `screenshot` name, a screenshot is also kept (kept()); the last run's is removed
// first, so that a check of its size reads this run's.
std::string render(const fs::path& page, const fs::path& work, const std::string& screenshot = "",
                   const std::string& window = "1200,3000") {
    REQUIRE(chromium(page, "--dump-dom", work / "dom.html", work / "profile", window) == 0);
    if (!screenshot.empty()) {
        fs::remove(kept(screenshot));
        chromium(page, "--screenshot='" + kept(screenshot).string() + "'", work / "shot.log",
                 work / "profile", window);
    }
    return read_text(work / "dom.html");
}

// Each rendered timeline: the lanes (SVG groups) the script drew inside it.
std::vector<int> lanes_per_timeline(const std::string& dom) {
    std::vector<int> lanes;
    const std::string marker = "class=\"timeline\"";
    for (std::size_t at = dom.find(marker); at != std::string::npos;
         at = dom.find(marker, at + 1)) {
        const std::string timeline = dom.substr(at, dom.find("</svg>", at) - at);
        int count = 0;
        for (std::size_t g = timeline.find("class=\"lane\""); g != std::string::npos;
             g = timeline.find("class=\"lane\"", g + 1))
            ++count;
        lanes.push_back(count);
    }
    return lanes;
}

long drawn_pixels(const std::string& dom, const std::string& canvas_id) {
    std::smatch match;
    const std::regex pattern("<canvas id=\"" + canvas_id + "\"[^>]*data-drawn-pixels=\"([0-9]+)\"");
    return std::regex_search(dom, match, pattern) ? std::stol(match[1]) : -1;
}

// The verdict matrix's rendered rows: per row, each cell's class attribute, in column order.
std::vector<std::vector<std::string>> matrix_cells(const std::string& dom) {
    const std::size_t begin = dom.find("<section id=\"verdict-matrix\">");
    if (begin == std::string::npos) return {};
    const std::string section = dom.substr(begin, dom.find("</section>", begin) - begin);
    std::vector<std::vector<std::string>> rows;
    const std::regex row("<tr class=\"case-row\">([\\s\\S]*?)</tr>");
    const std::regex cell("<td class=\"(cell [^\"]*)\"");
    for (auto r = std::sregex_iterator(section.begin(), section.end(), row);
         r != std::sregex_iterator(); ++r) {
        const std::string cells = (*r)[1];
        rows.emplace_back();
        for (auto c = std::sregex_iterator(cells.begin(), cells.end(), cell);
             c != std::sregex_iterator(); ++c)
            rows.back().push_back((*c)[1]);
    }
    return rows;
}

std::size_t matrix_columns(const std::string& dom) {
    const std::size_t begin = dom.find("<section id=\"verdict-matrix\">");
    const std::string header = dom.substr(begin, dom.find("</tr>", begin) - begin);
    std::size_t count = 0;
    for (std::size_t at = header.find("<th class=\"property\">"); at != std::string::npos;
         at = header.find("<th class=\"property\">", at + 1))
        ++count;
    return count;
}

// A scenario whose name holds markup, quotes and a script's end tag. (The loader refuses control
// characters in names; reports/html_report_test.cpp feeds those and invalid UTF-8 to the writer.)
const char* hostile_scenario = R"(name: "a&b<c> ]]> \"dq\" 'sq' </script>"
timeout: 30s
agents:
  - name: writer
    ops:
      - repeat: {count: 50, ops: [{write: "{agent} {seq}"}]}
  - name: reader
    ops:
      - repeat: {count: 50, ops: [read]}
)";

// skip-lock's careless agent with mutual-exclusion required to hold: a real failure.
std::string unguarded_scenario() {
    std::string text = read_text(source_path("scenarios/faults/skip-lock.yaml"));
    text.replace(text.find("name: fault-skip-lock"), 21, "name: unguarded");
    text.replace(text.find("expect:"), std::string::npos, "expect:\n  hold: [mutual-exclusion]\n");
    return text;
}

} // namespace

TEST_CASE("the HTML report renders in headless Chromium", "[html][chromium]") {
    if (chromium_missing()) return;
    TempDir dir("html-report");
    std::ofstream(dir.path() / "hostile.yaml") << hostile_scenario;
    std::ofstream(dir.path() / "unguarded.yaml") << unguarded_scenario();
    const HarnessRun run =
        run_harness({"run", "hostile.yaml", source_path("scenarios/faults/skip-lock.yaml"),
                     source_path("scenarios/examples/crash.yaml"), "unguarded.yaml", "--out", "out",
                     "--html", "report.html", "--trace", "trace.json", "-q"},
                    dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 1); // unguarded failed; the rest passed or were caught
    const std::string dom = render(dir.path() / "report.html", dir.path(), "report.png");

    CHECK(dom.find("<section id=\"summary\">") != std::string::npos);
    // Both charts drew something: the script counted the canvas's painted pixels.
    CHECK(drawn_pixels(dom, "latency-chart") > 1000);
    CHECK(drawn_pixels(dom, "throughput-chart") > 1000);
    // A timeline per case, in the report's order, with a lane per agent: 2, 3, 2 and 3 agents.
    CHECK(lanes_per_timeline(dom) == std::vector<int>{2, 3, 2, 3});
    // The verdict matrix: a row per case, a cell per property any case judged; skip-lock's
    // mutual-exclusion failed as its negative control requires, unguarded's failed for real.
    const auto cells = matrix_cells(dom);
    REQUIRE(cells.size() == 4);
    const std::size_t columns = matrix_columns(dom);
    CHECK(columns >= 6);
    for (const auto& row : cells)
        CHECK(row.size() == columns);
    const std::regex exclusion("<td class=\"(cell [^\"]*)\" data-property=\"mutual-exclusion\"");
    std::vector<std::string> exclusion_cells;
    for (auto c = std::sregex_iterator(dom.begin(), dom.end(), exclusion);
         c != std::sregex_iterator(); ++c)
        exclusion_cells.push_back((*c)[1]);
    CHECK(exclusion_cells == std::vector<std::string>{"cell pass met", "cell fail expected",
                                                      "cell pass met", "cell fail unmet"});
    // skip-lock's overlaps are drawn as violations; crash's victim has a crash instant.
    CHECK(dom.find("class=\"violation\"") != std::string::npos);
    CHECK(dom.find("class=\"mark-violation\"") != std::string::npos);
    CHECK(dom.find("class=\"mark-crash\"") != std::string::npos);
    // The hostile name is text, not markup: no <c> element, the script block not cut short.
    CHECK(dom.find("a&amp;b&lt;c&gt; ]]&gt; \"dq\" 'sq' &lt;/script&gt;") != std::string::npos);
    CHECK(dom.find("<c>") == std::string::npos);
    CHECK(fs::file_size(kept("report.png")) > 10000);
}

TEST_CASE("conformance's HTML report shows the matrix in headless Chromium", "[html][chromium]") {
    if (chromium_missing()) return;
    TempDir dir("html-conformance");
    fs::create_directories(dir.path() / "suite");
    for (const char* file : {"mutual-exclusion.yaml", "no-torn-read.yaml"})
        fs::copy_file(source_path(std::string("scenarios/conformance/") + file),
                      dir.path() / "suite" / file);
    const HarnessRun run = run_harness({"conformance", "--backends", "named_mutex/shm,spin/shm",
                                        "--suite", "suite", "--out", "out", "-q"},
                                       dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const std::string dom =
        render(dir.path() / "out/conformance.html", dir.path(), "conformance.png");
    // A row per backend, a cell per measured property, each linked to its case's section.
    for (const char* backend : {"named_mutex/shm", "spin/shm"})
        for (const char* property : {"mutual-exclusion", "no-torn-read"}) {
            INFO(backend << " " << property);
            const std::regex cell("<td class=\"cell pass\" data-backend=\"" + std::string(backend) +
                                  "\" data-property=\"" + property +
                                  "\"[^>]*><a href=\"#case-[0-9]+\">pass</a></td>");
            CHECK(std::regex_search(dom, cell));
        }
    // A timeline per case run (each suite file runs over several mappings, isolation twice).
    std::size_t cases = 0;
    for (std::size_t at = dom.find("<section class=\"case\""); at != std::string::npos;
         at = dom.find("<section class=\"case\"", at + 1))
        ++cases;
    CHECK(cases >= 4);
    CHECK(lanes_per_timeline(dom).size() == cases);
    CHECK(drawn_pixels(dom, "latency-chart") > 1000);
    CHECK(fs::file_size(kept("conformance.png")) > 10000);
}

TEST_CASE("stress's HTML report draws its charts in headless Chromium", "[html][chromium]") {
    if (chromium_missing()) return;
    TempDir dir("html-stress");
    const HarnessRun run = run_harness({"stress", "--backend", "named_mutex,spin", "--agents",
                                        "1,2", "--duration", "200ms", "--out", "out", "-q"},
                                       dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const std::string dom = render(dir.path() / "out/stress.html", dir.path());
    CHECK(drawn_pixels(dom, "latency-chart") > 1000);
    CHECK(drawn_pixels(dom, "throughput-chart") > 1000);
    // A latency series per backend and agent count; a throughput line per backend.
    CHECK(std::regex_search(dom, std::regex("id=\"latency-chart\"[^>]* data-datasets=\"4\"")));
    CHECK(std::regex_search(dom, std::regex("id=\"throughput-chart\"[^>]* data-datasets=\"2\"")));
    CHECK(dom.find("<td>spin agents=2 repeat=1</td>") != std::string::npos);
}

// The issue's "must show": one run of the bundled suite (the README's main command: classic,
// examples and faults; the conformance suite is `conformance`'s) writes every report, and the
// HTML's screenshot shows the summary, the verdict matrix, a distribution chart and a timeline.
// The window is tall enough to hold them all; the screenshot is kept as bundled-suite.png.
TEST_CASE("the bundled suite's run writes every report, and its page shows them in Chromium",
          "[html][chromium][suite]") {
    if (chromium_missing()) return;
    TempDir dir("html-suite");
    const HarnessRun run =
        run_harness({"run", source_path("scenarios/classic"), source_path("scenarios/examples"),
                     source_path("scenarios/faults"), "--out", "out", "--html", "report.html",
                     "--trace", "trace.json", "--markdown", "summary.md", "--junit", "junit.xml",
                     "--json", "results.json", "-q"},
                    dir.path(), std::chrono::seconds(300));
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    for (const char* report : {"report.html", "trace.json", "summary.md", "junit.xml"})
        CHECK(fs::file_size(dir.path() / report) > 500);
    const nlohmann::json results = read_json(dir.path() / "results.json");
    const std::size_t cases = results.at("scenarios").size();
    CHECK(cases >= 20);
    CHECK(read_json(dir.path() / "trace.json").at("traceEvents").size() > 100);

    const std::string dom =
        render(dir.path() / "report.html", dir.path(), "bundled-suite.png", "1400,7000");
    CHECK(dom.find("<section id=\"summary\">") != std::string::npos);
    CHECK(drawn_pixels(dom, "latency-chart") > 1000);
    CHECK(drawn_pixels(dom, "throughput-chart") > 1000);
    CHECK(!lanes_per_timeline(dom).empty());
    // The matrix: a row per case, a column per property any case judged (as the JSON lists
    // them); the negative controls' fails are expected, no requirement is unmet.
    std::vector<std::string> judged;
    std::size_t expected_fails = 0;
    for (const nlohmann::json& scenario : results.at("scenarios"))
        for (const nlohmann::json& property : scenario.at("properties")) {
            const std::string id = property.at("id");
            if (std::find(judged.begin(), judged.end(), id) == judged.end()) judged.push_back(id);
            if (property.at("requirement") == "must-fail" && property.at("met") == true)
                ++expected_fails;
        }
    const auto cells = matrix_cells(dom);
    CHECK(cells.size() == cases);
    CHECK(matrix_columns(dom) == judged.size());
    std::size_t expected = 0, unmet = 0;
    for (const auto& row : cells) {
        CHECK(row.size() == judged.size());
        for (const std::string& cell : row) {
            expected += cell.ends_with(" expected") ? 1 : 0;
            unmet += cell.ends_with(" unmet") ? 1 : 0;
        }
    }
    CHECK(expected_fails >= 5);
    CHECK(expected == expected_fails);
    CHECK(unmet == 0);
    CHECK(fs::file_size(kept("bundled-suite.png")) > 10000);
}
