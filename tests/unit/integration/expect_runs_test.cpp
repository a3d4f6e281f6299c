// Thresholds and expected errors through the real harness and agents: the bundled examples
// pass with their requirement rows in every report, and the same scenarios with a limit out of
// reach, or an error that does not happen, fail with a row that says why.
#include "harness_process.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace ipch::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const json& requirement(const json& scenario, const std::string& name) {
    return report_entry(scenario, "requirements", "name", name);
}

const char* const out_of_reach = R"(name: out-of-reach
timeout: 30s
agents:
  - name: worker
    count: 2
    ops:
      - repeat: {count: 200, ops: [write: "{agent} {seq}"]}
expect:
  min_throughput: 1e15
  max_wait: 10s
)";

const char* const nothing_missing = R"(name: nothing-missing
timeout: 30s
agents:
  - name: early
    ops:
      - write: hello
  - name: late
    open: open_existing
    ops:
      - read
expect:
  errors: [{agent: late, op: open, error: not found}]
)";

} // namespace

TEST_CASE("the thresholds example meets each threshold, one row each", "[expect][thresholds]") {
    TempDir dir("thresholds");
    const HarnessRun run = run_harness(
        {"run", source_path("scenarios/examples/thresholds.yaml"), "--out", "out", "-v"},
        dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const json scenario = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    CHECK(scenario.at("outcome") == "passed");
    REQUIRE(scenario.at("requirements").size() == 3);
    const json& throughput = requirement(scenario, "min_throughput");
    CHECK(throughput.at("kind") == "threshold");
    CHECK(throughput.at("met") == true);
    CHECK(throughput.at("unit") == "sections/s");
    CHECK(throughput.at("limit") == 200.0);
    CHECK(throughput.at("value").get<double>() >= 200.0);
    const json& p99 = requirement(scenario, "max_wait_p99");
    CHECK(p99.at("unit") == "ns");
    CHECK(p99.at("value").get<double>() <= requirement(scenario, "max_wait").at("value"));
    const json& fairness = property(scenario, "fairness");
    CHECK(fairness.at("verdict") == "pass"); // equal work: Jain's index 1
    CHECK(fairness.at("requirement") == "must-hold");
    CHECK(run.out.find("  - min_throughput: measured ") != std::string::npos);
    const std::string junit = read_text(dir.path() / "out/junit.xml");
    CHECK(junit.find("name=\"max_wait_p99\"") != std::string::npos);
    CHECK(leftovers(run).empty());
}

TEST_CASE("a threshold out of reach fails the scenario with its row", "[expect][thresholds]") {
    TempDir dir("out-of-reach");
    const std::string path = write_file(dir.path(), "out-of-reach.yaml", out_of_reach);
    const HarnessRun run = run_harness({"run", path, "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const json scenario = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    CHECK(scenario.at("outcome") == "failed");
    CHECK(requirement(scenario, "min_throughput").at("met") == false);
    CHECK(requirement(scenario, "max_wait").at("met") == true);
    CHECK(run.out.find("min_throughput: measured ") != std::string::npos);
    CHECK(run.out.find("required at least 1000000000000000 sections/s (NOT MET)") !=
          std::string::npos);
    const std::string junit = read_text(dir.path() / "out/junit.xml");
    CHECK(junit.find("<failure message=\"measured ") != std::string::npos);
    CHECK(junit.find("type=\"threshold\"") != std::string::npos);
    CHECK(leftovers(run).empty());
}

TEST_CASE("the expected-errors example: an open of a name nobody created fails as expected",
          "[expect][errors]") {
    TempDir dir("expected-errors");
    const HarnessRun run =
        run_harness({"run", source_path("scenarios/examples/expected-errors.yaml"), "--out", "out"},
                    dir.path());
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const json scenario = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    CHECK(scenario.at("outcome") == "passed");
    const json& row = requirement(scenario, "expected error: late, open, not found");
    CHECK(row.at("kind") == "expected-error");
    CHECK(row.at("met") == true);
    CHECK(row.at("detail") == "late got 'not found' from open, as expected");
    CHECK(row.at("limit").is_null());
    for (const json& p : scenario.at("properties"))
        if (p.at("id") == "progress") CHECK(p.at("verdict") == "pass");
    CHECK(scenario.at("agents").at(0).at("end") == "error-exit");
    CHECK(leftovers(run).empty());
    CHECK_FALSE(fs::exists("/dev/shm/example-nobody-creates-this"));
}

TEST_CASE("an expected error that does not happen fails the scenario", "[expect][errors]") {
    TempDir dir("nothing-missing");
    const std::string path = write_file(dir.path(), "nothing-missing.yaml", nothing_missing);
    const HarnessRun run = run_harness({"run", path, "--out", "out"}, dir.path());
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    const json scenario = read_json(dir.path() / "out/results.json").at("scenarios").at(0);
    const json& row = requirement(scenario, "expected error: late, open, not found");
    CHECK(row.at("met") == false);
    CHECK(row.at("detail") ==
          "expected agent 'late' to get 'not found' from open; it did not (its open ended ok)");
    CHECK(run.out.find("expected agent 'late' to get 'not found' from open; it did not") !=
          std::string::npos);
    CHECK(leftovers(run).empty());
}
