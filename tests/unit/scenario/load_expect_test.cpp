// expect beyond hold and fail: thresholds, crashes and errors, as read from a file; and the
// documented table of error names, which must be the code's own.
#include "error_names.hpp"
#include "load_ok.hpp"
#include "scenario.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <variant>
#include <vector>

using namespace ipch;

namespace {

using test::load_ok;

// The messages for a scenario whose expect section is `expect` (agents: worker x2, late).
std::vector<std::string> expect_errors(const std::string& name, const std::string& expect) {
    const std::string path =
        (std::filesystem::temp_directory_path() /
         ("ipch-expect-test-" + std::to_string(::getpid()) + "-" + name + ".yaml"))
            .string();
    std::ofstream(path) << "agents:\n"
                           "  - name: worker\n"
                           "    count: 2\n"
                           "    ops: [write: hi]\n"
                           "  - name: late\n"
                           "    open: open_existing\n"
                           "    ops: [read]\n"
                           "expect:\n"
                        << expect;
    const LoadResult result = load_scenario(path);
    std::filesystem::remove(path);
    std::vector<std::string> messages;
    if (const auto* errors = std::get_if<std::vector<ScenarioError>>(&result))
        for (const ScenarioError& error : *errors)
            messages.push_back(error.message);
    return messages;
}

} // namespace

TEST_CASE("thresholds, crashes and errors are read with their values", "[scenario][expect]") {
    const Scenario scenario = load_ok(IPCH_TEST_DATA "/good/every_expectation.yaml");
    const Expectations& expect = scenario.expect;
    CHECK_FALSE(
        expect.lists_properties()); // thresholds alone leave the properties at their default
    CHECK(expect.thresholds.min_throughput == 2500.0);
    CHECK(expect.thresholds.max_wait_p99_ns == 250'000'000u);
    CHECK(expect.thresholds.max_wait_ns == 1'500'000'000u);
    CHECK(expect.thresholds.min_fairness == 1.0);
    CHECK(expect.crashes == std::vector<std::string>{"victim", "worker-2"});
    REQUIRE(expect.errors.size() == 3);
    CHECK(expect.errors[0].agent == "late");
    CHECK(expect.errors[0].op == "open");
    CHECK(expect.errors[0].error == "not found");
    CHECK(expect.errors[0].pos.line == 22);
    CHECK(expect.errors[0].pos.column == 7);
    CHECK(expect.errors[1].agent == "worker");
    CHECK(expect.errors[1].error == "too large");
    CHECK(expect.errors[2].error == "permission denied");
}

TEST_CASE("a scenario without thresholds has none", "[scenario][expect]") {
    const Scenario scenario = load_ok(IPCH_TEST_DATA "/good/minimal.yaml");
    CHECK_FALSE(scenario.expect.thresholds.min_throughput);
    CHECK_FALSE(scenario.expect.thresholds.max_wait_p99_ns);
    CHECK_FALSE(scenario.expect.thresholds.max_wait_ns);
    CHECK_FALSE(scenario.expect.thresholds.min_fairness);
    CHECK(scenario.expect.crashes.empty());
    CHECK(scenario.expect.errors.empty());
}

TEST_CASE("threshold numbers are plain finite numbers in range", "[scenario][expect]") {
    const std::string throughput =
        "error: min_throughput must be a number greater than 0 (critical sections per second); "
        "got ";
    CHECK(expect_errors("t1", "  min_throughput: -5\n") ==
          std::vector<std::string>{throughput + "-5"});
    CHECK(expect_errors("t2", "  min_throughput: fast\n") ==
          std::vector<std::string>{throughput + "fast"});
    CHECK(expect_errors("t3", "  min_throughput: \"1000\"\n") ==
          std::vector<std::string>{throughput + "\"1000\""});
    CHECK(expect_errors("t4", "  min_throughput: inf\n") ==
          std::vector<std::string>{throughput + "inf"});
    CHECK(expect_errors("t5", "  min_throughput: [1]\n") ==
          std::vector<std::string>{throughput + "a list"});
    const std::string fairness =
        "error: min_fairness must be a number greater than 0 and at most 1 (Jain's index); got ";
    CHECK(expect_errors("t6", "  min_fairness: 0\n") == std::vector<std::string>{fairness + "0"});
    CHECK(expect_errors("t7", "  min_fairness: 1.0001\n") ==
          std::vector<std::string>{fairness + "1.0001"});
    CHECK(expect_errors("t8", "  min_fairness: 0.001\n  min_throughput: 1e-3\n").empty());
}

TEST_CASE("crashes and errors may name a group or one of its agents", "[scenario][expect]") {
    CHECK(expect_errors("r1", "  crashes: [worker, worker-1, late]\n").empty());
    CHECK(expect_errors("r2", "  errors: [{agent: worker-2, op: write, error: too large}]\n")
              .empty());
    // A count of 2 runs worker-1 and worker-2; there is no plain "late-1".
    CHECK(expect_errors("r3", "  crashes: [late-1]\n") ==
          std::vector<std::string>{"error: unknown agent 'late-1' (did you mean 'late'?); "
                                   "expected one of the scenario's agents: worker (worker-1 to "
                                   "worker-2), late"});
}

TEST_CASE("the documented error names are the code's table, in its order", "[scenario][expect]") {
    std::ifstream in(IPCH_SOURCE_DIR "/docs/scenarios.md");
    std::stringstream text;
    text << in.rdbuf();
    std::string documented;
    std::istringstream lines(text.str());
    for (std::string line; std::getline(lines, line);) {
        for (const ErrorName& error : error_names)
            if (line ==
                "| `" + std::string(error.name) + "` | " + std::string(error.meaning) + " |")
                documented += std::string(error.name) + ";";
    }
    std::string table;
    for (const ErrorName& error : error_names)
        table += std::string(error.name) + ";";
    CHECK(documented == table);
}
