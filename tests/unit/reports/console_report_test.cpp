#include "console_report.hpp"
#include "report_fixtures.hpp"

#include <catch2/catch.hpp>
#include <csignal>
#include <sstream>

namespace {

std::string console(const ipch::RunResults& results, ipch::ConsoleOptions options = {}) {
    std::ostringstream out;
    ipch::write_console_report(out, results, options);
    return out.str();
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("console report matches its golden files", "[console]") {
    const ipch::RunResults results = ipch::test::sample_results();
    ipch::test::check_golden("console.txt", console(results), results);
    ipch::test::check_golden("console-verbose.txt", console(results, {.verbose = true}), results);
    ipch::test::check_golden("console-quiet.txt", console(results, {.quiet = true}), results);
}

TEST_CASE("console report lists properties of failing scenarios only, unless verbose",
          "[console]") {
    const ipch::RunResults results = ipch::test::sample_results();
    const std::string normal = console(results);
    CHECK(contains(normal, "PASS: two-writers[agents=2,hold=1.5,label=4] (1.250 s, 2 agents, 40 "
                           "events, 38 critical sections)"));
    CHECK(contains(normal, "  - mutual-exclusion: fail (must hold: NOT MET) 3 overlaps"));
    CHECK_FALSE(contains(normal, "38 critical sections, none overlap"));

    const std::string verbose = console(results, {.verbose = true});
    CHECK(contains(verbose, "  - mutual-exclusion: pass (must hold: met) 38 critical sections"));
    CHECK(contains(verbose, "  - fairness: not-applicable (info) the scenario sets no"));
    CHECK(contains(verbose, "  - persistence: observed (info) mapping kept with its data; "
                            "mutex kept\n"));
}

TEST_CASE("console report shows each failure with its evidence", "[console]") {
    const std::string text = console(ipch::test::sample_results());
    CHECK(contains(text, "Failures (2):\nFAIL: lock-skipped (scenarios/seed/lock-skipped.yaml)\n"));
    CHECK(contains(text, "  run dir: /tmp/ipch-runs/"));
    CHECK(contains(text, "  agent 2 beta: crashed, signal 11, event log: the last record"));
    CHECK(contains(text, "    alpha's 'write hello' and beta's 'read' held the lock"));
    CHECK(contains(text, "      agent 1 alpha, event 3, op write hello (write #3): stamp 7, "
                         "requested 1000, acquired 1100, released 1500 ns, ok"));
    CHECK(contains(text, "    and 2 more violation(s), not shown\n"));
    // A scenario that did not load is named by its path and shows every message.
    CHECK(contains(text, "BAD INPUT: scenarios/bad/unknown-key.yaml\n  scenarios/bad/"));
    CHECK(contains(text, "9:5: error: 'count' must be at least 1\n"));
}

TEST_CASE("console report ends with the totals", "[console]") {
    const std::string text = console(ipch::test::sample_results());
    // The seed, to repeat the run with --seed.
    CHECK(contains(text, "\n4 scenarios: 1 passed, 1 control caught, 1 failed, 1 bad input "
                         "(2.500 s, seed 42)\n"));

    ipch::RunResults one_pass;
    one_pass.scenarios = {ipch::test::sample_results().scenarios.front()};
    one_pass.interrupt_signal = SIGINT;
    CHECK(contains(console(one_pass),
                   "\n1 scenario: 1 passed, 0 control caught, 0 failed (0.000 s), interrupted\n"));
}

TEST_CASE("quiet console report holds only the failures and the totals", "[console]") {
    const std::string text =
        console(ipch::test::sample_results(), {.verbose = true, .quiet = true});
    CHECK(text.rfind("Failures (2):\n", 0) == 0);
    CHECK_FALSE(contains(text, "two-writers"));
    CHECK_FALSE(contains(text, "no-mutex-control"));

    const std::string empty = console({}, {.quiet = true});
    CHECK(empty == "0 scenarios: 0 passed, 0 control caught, 0 failed (0.000 s)\n");
}

TEST_CASE("console report is coloured only when asked", "[console]") {
    const ipch::RunResults results = ipch::test::sample_results();
    CHECK_FALSE(contains(console(results), "\x1b"));
    const std::string coloured = console(results, {.color = true});
    CHECK(contains(coloured, "\x1b[31mFAIL\x1b[0m: lock-skipped"));
    CHECK(contains(coloured, "\x1b[32mPASS\x1b[0m: two-writers"));
    CHECK(contains(coloured, "\x1b[31mNOT MET\x1b[0m"));
}

TEST_CASE("colour only on a terminal, and not with NO_COLOR set and not empty", "[console]") {
    CHECK(ipch::use_color(true, nullptr));
    CHECK(ipch::use_color(true, "")); // no-color.org: an empty NO_COLOR does not count
    CHECK_FALSE(ipch::use_color(true, "1"));
    CHECK_FALSE(ipch::use_color(true, "0")); // any value, even "0"
    CHECK_FALSE(ipch::use_color(false, nullptr));
}
