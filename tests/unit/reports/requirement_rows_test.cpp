// Thresholds, expected crashes and expected errors in each report: a line of the console, a
// JUnit testcase each, a JSON `requirements` entry; hostile text in them stays inert.
#include "console_report.hpp"
#include "json_report.hpp"
#include "junit_report.hpp"
#include "report_fixtures.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <sstream>

using namespace ipch;

namespace {

RequirementResult threshold(const char* name, double limit, std::optional<double> value,
                            const char* unit, bool met, const char* detail) {
    return {RequirementKind::threshold, name, limit, value, unit, met, detail};
}

// One failed scenario with a met and an unmet threshold, a met expected crash and an unmet
// expected error; every property passed, so the requirements alone fail it.
RunResults results_with_requirements(const std::string& text = {}) {
    ScenarioResult scenario;
    scenario.path = "thresholds.yaml";
    scenario.name = "thresholds";
    scenario.run_id = "r1";
    scenario.outcome = ScenarioOutcome::failed;
    PropertyOutcome progress;
    progress.result.id = "progress";
    progress.result.verdict = Verdict::pass;
    progress.requirement = Requirement::hold;
    scenario.properties.push_back(progress);
    scenario.requirements = {
        threshold("min_throughput", 1000, 52000.5, "sections/s", true,
                  "measured 52000 sections/s; required at least 1000 sections/s"),
        threshold("max_wait", 1e6, std::nullopt, "ns", false,
                  "no critical section was recorded; required at most 1.000 ms"),
        {RequirementKind::crash,
         "expected crash: victim",
         {},
         {},
         "",
         true,
         "victim crashed (signal 9), as expected"},
        {RequirementKind::error,
         "expected error: late, open, not found" + text,
         {},
         {},
         "",
         false,
         "expected agent 'late' to get 'not found' from open; it did not (its open ended ok)" +
             text},
    };
    RunResults results;
    results.tool_version = "0";
    results.scenarios.push_back(scenario);
    return results;
}

std::string console(const RunResults& results, bool verbose = false) {
    std::ostringstream out;
    write_console_report(out, results, ConsoleOptions{verbose, false, false});
    return out.str();
}

std::string junit(const RunResults& results) {
    std::ostringstream out;
    write_junit_report(out, results);
    return out.str();
}

nlohmann::json json_of(const RunResults& results) {
    std::ostringstream out;
    write_json_report(out, results);
    return nlohmann::json::parse(out.str());
}

} // namespace

TEST_CASE("console: each requirement has a line, and the failures repeat the unmet ones",
          "[console][requirements]") {
    const std::string text = console(results_with_requirements());
    CHECK(text.find("  - min_throughput: measured 52000 sections/s; required at least 1000 "
                    "sections/s (met)\n") != std::string::npos);
    CHECK(text.find("  - expected crash: victim: victim crashed (signal 9), as expected (met)\n") !=
          std::string::npos);
    const std::string unmet = "  - expected error: late, open, not found: expected agent 'late' "
                              "to get 'not found' from open; it did not (its open ended ok) "
                              "(NOT MET)\n";
    const std::size_t first = text.find(unmet);
    REQUIRE(first != std::string::npos);
    const std::size_t failures = text.find("Failures (1):");
    REQUIRE(failures != std::string::npos);
    CHECK(text.find(unmet, failures) != std::string::npos); // again under the failure
    // Met rows are not repeated among the failures.
    CHECK(text.find("min_throughput", failures) == std::string::npos);
}

TEST_CASE("JUnit: a testcase per requirement, a failure for each unmet one",
          "[junit][requirements]") {
    pugi::xml_document document;
    const std::string xml = junit(results_with_requirements());
    REQUIRE(document.load_string(xml.c_str()));
    const pugi::xml_node suite = document.child("testsuites").child("testsuite");
    CHECK(suite.attribute("tests").as_int() == 5); // progress and four requirements
    CHECK(suite.attribute("failures").as_int() == 2);
    const pugi::xml_node met = suite.find_child_by_attribute("testcase", "name", "min_throughput");
    REQUIRE(met);
    CHECK_FALSE(met.child("failure"));
    CHECK(std::string(met.child("system-out").text().get()) ==
          "measured 52000 sections/s; required at least 1000 sections/s\n");
    const pugi::xml_node unmet =
        suite.find_child_by_attribute("testcase", "name", "expected error: late, open, not found");
    REQUIRE(unmet.child("failure"));
    CHECK(std::string(unmet.child("failure").attribute("type").value()) == "expected-error");
    CHECK(std::string(unmet.child("failure").attribute("message").value()) ==
          "expected agent 'late' to get 'not found' from open; it did not (its open ended ok)");
    const pugi::xml_node max_wait = suite.find_child_by_attribute("testcase", "name", "max_wait");
    CHECK(std::string(max_wait.child("failure").attribute("type").value()) == "threshold");
    // No extra "run" testcase: the unmet requirements explain the failure.
    CHECK_FALSE(suite.find_child_by_attribute("testcase", "name", "run"));
}

TEST_CASE("JSON: requirements with kind, name, limit, value, unit, met and detail",
          "[json][requirements]") {
    const nlohmann::json report = json_of(results_with_requirements());
    const nlohmann::json& rows = report.at("scenarios").at(0).at("requirements");
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] == nlohmann::json{{"kind", "threshold"},
                                    {"name", "min_throughput"},
                                    {"limit", 1000.0},
                                    {"value", 52000.5},
                                    {"unit", "sections/s"},
                                    {"met", true},
                                    {"detail", "measured 52000 sections/s; required at least "
                                               "1000 sections/s"}});
    CHECK(rows[1].at("value").is_null()); // nothing was measured
    CHECK(rows[1].at("met") == false);
    CHECK(rows[2].at("kind") == "expected-crash");
    CHECK(rows[2].at("limit").is_null());
    CHECK(rows[3].at("kind") == "expected-error");
    CHECK(rows[3].at("unit") == "");
}

TEST_CASE("hostile text in a requirement stays inert in every report", "[hostile][requirements]") {
    const RunResults results = results_with_requirements(test::hostile);
    const std::string text = console(results, true);
    CHECK(test::is_valid_utf8(text));
    CHECK(text.find('\x1b') == std::string::npos);
    pugi::xml_document document;
    CHECK(document.load_string(junit(results).c_str()));
    CHECK_NOTHROW(json_of(results));
}
