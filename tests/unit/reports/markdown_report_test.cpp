// The Markdown summary: its golden file, its size limits, and names that must stay text.
#include "markdown_report.hpp"
#include "markdown_text.hpp"
#include "report_fixtures.hpp"

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

using namespace ipch;

namespace {

std::string markdown(const RunResults& results, const MarkdownLimits& limits = {}) {
    std::ostringstream out;
    write_markdown_report(out, results, limits);
    return out.str();
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// The text outside fenced code blocks, with the few tags the report writes itself removed:
// whatever markup is left came from a name.
std::string prose(const std::string& text) {
    std::istringstream lines(text);
    std::string out;
    std::string fence;
    for (std::string line; std::getline(lines, line);) {
        const std::size_t ticks = line.find_first_not_of('`');
        if (ticks >= 3 && ticks != std::string::npos && fence.empty()) {
            fence = line.substr(0, ticks);
            continue;
        }
        if (!fence.empty()) {
            if (line == fence) fence.clear();
            continue;
        }
        out += line + "\n";
    }
    CHECK(fence.empty()); // every block closed
    static const std::regex own_tags(R"(</?(details|summary|sub)>)");
    return std::regex_replace(out, own_tags, "");
}

} // namespace

TEST_CASE("Markdown report matches its golden file", "[markdown]") {
    const RunResults results = test::sample_results();
    test::check_golden("summary.md", markdown(results), results);
}

TEST_CASE("Markdown report: totals, failures with evidence, a row per scenario", "[markdown]") {
    RunResults results = test::sample_results();
    results.shard = "2/3";
    const std::string text = markdown(results);
    CHECK(contains(text, "1 passed, 1 control caught, 1 failed, 1 bad input"));
    CHECK(contains(text, "seed 42"));
    CHECK(contains(text, "shard 2/3"));
    CHECK(contains(text, "#### \u274c FAIL: lock-skipped"));
    CHECK(contains(text, "held the lock at the same time")); // the evidence
    CHECK(std::count(text.begin(), text.end(), '\n') < 80);  // one screen
}

TEST_CASE("Markdown report keeps to its limits on a large run", "[markdown]") {
    RunResults results = test::sample_results();
    const std::vector<ScenarioResult> four = results.scenarios;
    for (int i = 0; i < 60; ++i)
        results.scenarios.insert(results.scenarios.end(), four.begin(), four.end());
    const std::string text = markdown(results, {.table_rows = 50, .failures = 5});
    // 244 scenarios, 122 failing: the table lists failing ones only, up to the limit.
    CHECK(contains(text, "The failing ones of 244"));
    CHECK(contains(text, "| | ... and more | | | |"));
    CHECK_FALSE(contains(text, "| \u2705 PASS |"));
    CHECK(contains(text, "117 more failure(s), without their evidence here:"));
    CHECK(text.size() < 64 * 1024);
}

TEST_CASE("markdown_text leaves no markup in a name", "[markdown]") {
    CHECK(markdown_text("# heading") == "\\# heading");
    CHECK(markdown_text("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))");
    CHECK(markdown_text("a|b") == "a\\|b");
    CHECK(markdown_text("*x* _y_ `z`") == "\\*x\\* \\_y\\_ \\`z\\`");
    CHECK(markdown_text("<img src=x onerror=y>&amp;") == "&lt;img src=x onerror=y&gt;&amp;amp;");
    CHECK(markdown_text("two\nlines\x1b[2J") == "two lines\\\\x1B\\[2J");
    // A fence longer than any backtick run inside: ``` in the text cannot close the block.
    CHECK(markdown_code_block("a ``` b\n") == "````text\na ``` b\n````\n");
    CHECK(markdown_code_block("plain") == "```text\nplain\n```\n");
}

TEST_CASE("hostile names stay text in the Markdown report", "[hostile][markdown]") {
    const RunResults results = test::hostile_results();
    const std::string text = markdown(results);
    REQUIRE(test::is_valid_utf8(text));
    const std::string outside = prose(text);
    CHECK_FALSE(contains(outside, "<"));
    CHECK_FALSE(contains(outside, "a&b"));
    CHECK(contains(outside, "a&amp;b&lt;c&gt; \\]\\]&gt; \"dq\" 'sq' "));
    CHECK(contains(outside, "\\\\xFF\\\\xFE"));
    CHECK(contains(text, "a&b<c> ]]> \"dq\" 'sq' ")); // as typed, inside a code block
    // Nothing a terminal or a renderer could take as a control: only our own line breaks.
    std::vector<std::uint32_t> controls;
    for (const char32_t c : test::code_points(text))
        if ((c < 0x20 && c != '\n') || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E))
            controls.push_back(c);
    CHECK(controls.empty());
}
