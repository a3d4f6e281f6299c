// Hostile names through the real binary, into every report a CI job reads: a scenario named with
// markup (run), and one whose name and agent carry control characters and a bidirectional
// override (bad input, its messages quoting them). JUnit must stay valid against Jenkins'
// schema, JSON must parse, Markdown must show the markup as text, the console must stay inert.
#include "harness_process.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <regex>
#include <sstream>

using namespace ipch::test;
namespace fs = std::filesystem;

namespace {

const char* const markup_scenario = R"(name: "a&b<c> ]]> \"dq\" 'sq' | *x* [l](u) <script>"
timeout: 10s
agents:
  - name: writer
    ops:
      - write: "<b>&amp;</b>"
      - read
)";

const char* const control_scenario = R"(name: "bad \x01 \e[31mred \u202Ertl <i>"
timeout: 10s
agents:
  - name: "w<&>"
    ops:
      - write: "x"
)";

bool xml_valid(const fs::path& file) {
    const std::string command = "xmllint --noout --schema '" +
                                source_path("tests/data/junit/jenkins-junit.xsd") + "' '" +
                                file.string() + "' >/dev/null 2>&1";
    return std::system(command.c_str()) == 0;
}

// The Markdown outside code blocks, without the tags the report writes itself.
std::string prose(const std::string& markdown) {
    std::istringstream lines(markdown);
    std::string out;
    bool in_code = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("```", 0) == 0) {
            in_code = !in_code;
            continue;
        }
        if (!in_code) out += line + "\n";
    }
    return std::regex_replace(out, std::regex(R"(</?(details|summary|sub)>)"), "");
}

bool has_terminal_controls(const std::string& text) {
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte < 0x20 && byte != '\n') || byte == 0x7F) return true;
    }
    return text.find("\xE2\x80\xAE") != std::string::npos; // U+202E
}

} // namespace

TEST_CASE("a scenario named with markup: every report keeps it as text", "[hostile]") {
    TempDir dir("hostile-reports");
    const std::string file = write_file(dir.path(), "markup.yaml", markup_scenario);
    const HarnessRun run = run_harness(
        {"run", file, "--out", "out", "--markdown", "out/summary.md", "-v"}, dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK(xml_valid(dir.path() / "out/junit.xml"));
    CHECK(read_text(dir.path() / "out/junit.xml").find("name=\"a&amp;b&lt;c> ]]> &quot;dq&quot;") !=
          std::string::npos);
    CHECK(read_json(dir.path() / "out/results.json").at("scenarios").at(0).at("name") ==
          "a&b<c> ]]> \"dq\" 'sq' | *x* [l](u) <script>");
    const std::string markdown = prose(read_text(dir.path() / "out/summary.md"));
    CHECK(markdown.find('<') == std::string::npos);
    CHECK(markdown.find("a&amp;b&lt;c&gt; \\]\\]&gt; \"dq\" 'sq' \\| \\*x\\* \\[l\\](u) "
                        "&lt;script&gt;") != std::string::npos);
    CHECK(run.out.find("a&b<c> ]]> \"dq\" 'sq' | *x* [l](u) <script>") != std::string::npos);
    CHECK_FALSE(has_terminal_controls(run.out));
}

TEST_CASE("control characters in a bad file's names reach no report raw", "[hostile]") {
    TempDir dir("hostile-bad");
    const std::string file = write_file(dir.path(), "controls.yaml", control_scenario);
    const HarnessRun run =
        run_harness({"run", file, "--out", "out", "--markdown", "out/summary.md"}, dir.path());
    REQUIRE(run.exit_code == 2);
    CHECK(xml_valid(dir.path() / "out/junit.xml"));
    const std::string junit = read_text(dir.path() / "out/junit.xml");
    // The loader's message quotes the name with its controls written out (\x01, \x1b): what
    // reaches the reports is text, and no raw control byte anywhere.
    CHECK(junit.find("\\x01 \\x1b[31mred") != std::string::npos);
    // XML may carry U+202E (a valid character); no C0 control but the line breaks.
    CHECK(std::none_of(junit.begin(), junit.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\n'; }));
    const std::string message =
        read_json(dir.path() / "out/results.json").at("scenarios").at(0).at("messages").at(0);
    CHECK(message.find("\\x01 \\x1b[31mred") != std::string::npos);
    const std::string markdown = read_text(dir.path() / "out/summary.md");
    CHECK_FALSE(has_terminal_controls(markdown));
    CHECK(markdown.find("\\x01 \\x1b[31mred") != std::string::npos); // in a code block
    CHECK_FALSE(has_terminal_controls(run.out));
    // The loader's own lines on stderr, too: the file's U+202E written out, not sent raw.
    CHECK(run.err.find(":1:7: error: scenario name") != std::string::npos);
    CHECK_FALSE(has_terminal_controls(run.err));
}
