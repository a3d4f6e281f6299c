// The HTML report as a browser shows it: a real run's report opened in headless Chromium, its
// rendered DOM (--dump-dom, after the page's scripts ran) checked for the summary, drawn charts,
// a timeline lane per agent, the violations and crashes marked, and a hostile scenario name
// shown as text. A screenshot is kept under build/dev/test-output/html-report/ for people.
// Skipped, with a message, where chromium is not installed (scripts/install-deps.sh installs it).
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

bool have_chromium() {
    return std::system("command -v chromium > /dev/null 2>&1") == 0;
}

// Headless Chromium on `page` with `what` (--dump-dom, --screenshot=FILE); its stdout to `out`.
int chromium(const fs::path& page, const std::string& what, const fs::path& out,
             const fs::path& profile) {
    const std::string command = "timeout 120 chromium --headless --no-sandbox --disable-gpu "
                                "--window-size=1200,3000 --user-data-dir='" +
                                profile.string() + "' " + what + " 'file://" + page.string() +
                                "' > '" + out.string() + "' 2> /dev/null";
    return std::system(command.c_str());
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

} // namespace

TEST_CASE("the HTML report renders in headless Chromium", "[html][chromium]") {
    if (!have_chromium()) {
        WARN("chromium not found: the HTML rendering test is skipped (scripts/install-deps.sh "
             "installs it)");
        return;
    }
    TempDir dir("html-report");
    std::ofstream(dir.path() / "hostile.yaml") << hostile_scenario;
    const HarnessRun run =
        run_harness({"run", "hostile.yaml", source_path("scenarios/faults/skip-lock.yaml"),
                     source_path("scenarios/examples/crash.yaml"), "--out", "out", "--html",
                     "report.html", "--trace", "trace.json", "-q"},
                    dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const fs::path kept = fs::path(IPCH_BIN_DIR).parent_path() / "test-output" / "html-report";
    fs::create_directories(kept);
    REQUIRE(chromium(dir.path() / "report.html", "--dump-dom", dir.path() / "dom.html",
                     dir.path() / "profile") == 0);
    chromium(dir.path() / "report.html", "--screenshot='" + (kept / "report.png").string() + "'",
             dir.path() / "shot.log", dir.path() / "profile");
    const std::string dom = read_text(dir.path() / "dom.html");

    CHECK(dom.find("<section id=\"summary\">") != std::string::npos);
    // Both charts drew something: the script counted the canvas's painted pixels.
    CHECK(drawn_pixels(dom, "latency-chart") > 1000);
    CHECK(drawn_pixels(dom, "throughput-chart") > 1000);
    // A timeline per case, in the report's order, with a lane per agent: 2, 3 and 2 agents.
    CHECK(lanes_per_timeline(dom) == std::vector<int>{2, 3, 2});
    // skip-lock's overlaps are drawn as violations; crash's victim has a crash instant.
    CHECK(dom.find("class=\"violation\"") != std::string::npos);
    CHECK(dom.find("class=\"mark-violation\"") != std::string::npos);
    CHECK(dom.find("class=\"mark-crash\"") != std::string::npos);
    // The hostile name is text, not markup: no <c> element, the script block not cut short.
    CHECK(dom.find("a&amp;b&lt;c&gt; ]]&gt; \"dq\" 'sq' &lt;/script&gt;") != std::string::npos);
    CHECK(dom.find("<c>") == std::string::npos);
    CHECK(fs::file_size(kept / "report.png") > 10000);
}

TEST_CASE("conformance's HTML report shows the matrix in headless Chromium", "[html][chromium]") {
    if (!have_chromium()) {
        WARN("chromium not found: the HTML rendering test is skipped (scripts/install-deps.sh "
             "installs it)");
        return;
    }
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
    REQUIRE(chromium(dir.path() / "out/conformance.html", "--dump-dom", dir.path() / "dom.html",
                     dir.path() / "profile") == 0);
    const fs::path kept = fs::path(IPCH_BIN_DIR).parent_path() / "test-output" / "html-report";
    fs::create_directories(kept);
    chromium(dir.path() / "out/conformance.html",
             "--screenshot='" + (kept / "conformance.png").string() + "'", dir.path() / "shot.log",
             dir.path() / "profile");
    const std::string dom = read_text(dir.path() / "dom.html");
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
    CHECK(fs::file_size(kept / "conformance.png") > 10000);
}

TEST_CASE("stress's HTML report draws its charts in headless Chromium", "[html][chromium]") {
    if (!have_chromium()) {
        WARN("chromium not found: the HTML rendering test is skipped (scripts/install-deps.sh "
             "installs it)");
        return;
    }
    TempDir dir("html-stress");
    const HarnessRun run = run_harness({"stress", "--backend", "named_mutex,spin", "--agents",
                                        "1,2", "--duration", "200ms", "--out", "out", "-q"},
                                       dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    REQUIRE(chromium(dir.path() / "out/stress.html", "--dump-dom", dir.path() / "dom.html",
                     dir.path() / "profile") == 0);
    const std::string dom = read_text(dir.path() / "dom.html");
    CHECK(drawn_pixels(dom, "latency-chart") > 1000);
    CHECK(drawn_pixels(dom, "throughput-chart") > 1000);
    // A latency series per backend and agent count; a throughput line per backend.
    CHECK(std::regex_search(dom, std::regex("id=\"latency-chart\"[^>]* data-datasets=\"4\"")));
    CHECK(std::regex_search(dom, std::regex("id=\"throughput-chart\"[^>]* data-datasets=\"2\"")));
    CHECK(dom.find("<td>spin agents=2 repeat=1</td>") != std::string::npos);
}
