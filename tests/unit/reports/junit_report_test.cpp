#include "junit_report.hpp"
#include "report_fixtures.hpp"

#include <catch2/catch.hpp>
#include <pugixml.hpp>
#include <regex>
#include <sstream>

namespace {

std::string junit(const ipch::RunResults& results) {
    std::ostringstream out;
    ipch::write_junit_report(out, results);
    return out.str();
}

pugi::xml_document parse(const std::string& xml) {
    pugi::xml_document document;
    const pugi::xml_parse_result parsed = document.load_string(xml.c_str());
    INFO(parsed.description() << " at offset " << parsed.offset);
    REQUIRE(parsed);
    return document;
}

pugi::xml_node suite_named(const pugi::xml_document& document, const char* name) {
    return document.child("testsuites").find_child_by_attribute("testsuite", "name", name);
}

pugi::xml_node testcase_named(pugi::xml_node suite, const char* name) {
    return suite.find_child_by_attribute("testcase", "name", name);
}

} // namespace

TEST_CASE("JUnit report matches its golden file", "[junit]") {
    const ipch::RunResults results = ipch::test::sample_results();
    ipch::test::check_golden("junit.xml", junit(results), results);
}

TEST_CASE("JUnit report counts tests, failures, errors and skips", "[junit]") {
    const std::string xml = junit(ipch::test::sample_results());
    CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0) == 0);
    const pugi::xml_document document = parse(xml);
    const pugi::xml_node root = document.child("testsuites");
    CHECK(std::string(root.attribute("name").value()) == "ipc-harness");
    // 4 + 2 + 2 property test cases and the bad input's "load".
    CHECK(root.attribute("tests").as_int() == 9);
    CHECK(root.attribute("failures").as_int() == 2);
    CHECK(root.attribute("errors").as_int() == 1);
    CHECK(std::string(root.attribute("time").value()) == "2.500");
    CHECK(std::distance(root.children("testsuite").begin(), root.children("testsuite").end()) == 4);

    const pugi::xml_node passed = suite_named(document, "two-writers[agents=2,hold=1.5,label=4]");
    REQUIRE(passed);
    CHECK(passed.attribute("tests").as_int() == 4);
    CHECK(passed.attribute("failures").as_int() == 0);
    CHECK(passed.attribute("skipped").as_int() == 1);
    CHECK(std::string(passed.attribute("timestamp").value()) == "2024-05-01T12:00:00");
    CHECK(std::string(passed.attribute("time").value()) == "1.250");
    const pugi::xml_node run_id =
        passed.child("properties").find_child_by_attribute("property", "name", "run_id");
    CHECK(std::string(run_id.attribute("value").value()) == "20240501T120000-1a2b");
    CHECK(testcase_named(passed, "fairness").child("skipped"));
}

TEST_CASE("JUnit: an observed property passes with the observation in system-out", "[junit]") {
    const pugi::xml_document document = parse(junit(ipch::test::sample_results()));
    const pugi::xml_node persistence = testcase_named(
        suite_named(document, "two-writers[agents=2,hold=1.5,label=4]"), "persistence");
    REQUIRE(persistence);
    CHECK_FALSE(persistence.child("failure"));
    CHECK_FALSE(persistence.child("skipped"));
    CHECK(std::string(persistence.child("system-out").text().get()) ==
          "observed: mapping kept with its data; mutex kept\n");
}

TEST_CASE("JUnit: a matrix case is its own suite, with its seed and values", "[junit]") {
    const pugi::xml_document document = parse(junit(ipch::test::sample_results()));
    const pugi::xml_node suite = suite_named(document, "two-writers[agents=2,hold=1.5,label=4]");
    REQUIRE(suite);
    CHECK(std::string(testcase_named(suite, "progress").attribute("classname").value()) ==
          "ipc-harness.two-writers[agents=2,hold=1.5,label=4]");
    const auto property = [&](const char* name) {
        return std::string(suite.child("properties")
                               .find_child_by_attribute("property", "name", name)
                               .attribute("value")
                               .value());
    };
    CHECK(property("seed") == "42");
    CHECK(property("case_seed") == "11400714819323198485");
    CHECK(property("parameter.agents") == "2");
    CHECK(property("parameter.label") == "4");
    // A file that did not load has no case seed and no values.
    const pugi::xml_node bad = suite_named(document, "scenarios/bad/unknown-key.yaml");
    CHECK_FALSE(bad.child("properties").find_child_by_attribute("property", "name", "case_seed"));
}

TEST_CASE("JUnit times have exactly three decimals", "[junit]") {
    const std::string xml = junit(ipch::test::sample_results());
    const std::regex time_attribute(R"#(\btime="([^"]*)")#");
    const std::regex three_decimals(R"([0-9]+\.[0-9]{3})");
    std::size_t times = 0;
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), time_attribute);
         it != std::sregex_iterator(); ++it, ++times)
        CHECK(std::regex_match((*it)[1].str(), three_decimals));
    CHECK(times == 1 + 4 + 9);
}

TEST_CASE("JUnit failure carries the property id, detail and evidence", "[junit]") {
    const pugi::xml_document document = parse(junit(ipch::test::sample_results()));
    const pugi::xml_node suite = suite_named(document, "lock-skipped");
    REQUIRE(suite);
    CHECK(suite.attribute("failures").as_int() == 2);
    const pugi::xml_node testcase = testcase_named(suite, "mutual-exclusion");
    CHECK(std::string(testcase.attribute("classname").value()) == "ipc-harness.lock-skipped");
    const pugi::xml_node failure = testcase.child("failure");
    REQUIRE(failure);
    CHECK(std::string(failure.attribute("type").value()) == "mutual-exclusion");
    CHECK_THAT(failure.attribute("message").value(),
               Catch::Contains("3 overlaps among 10 critical sections"));
    CHECK_THAT(failure.text().get(), Catch::Contains("held the lock at the same time\n  agent 1"));
    CHECK_THAT(failure.text().get(), Catch::Contains("and 2 more violation(s), not shown"));
}

TEST_CASE("JUnit: a caught control passes and says so", "[junit]") {
    const pugi::xml_document document = parse(junit(ipch::test::sample_results()));
    const pugi::xml_node suite = suite_named(document, "no-mutex-control");
    REQUIRE(suite);
    CHECK(suite.attribute("failures").as_int() == 0);
    const pugi::xml_node testcase = testcase_named(suite, "mutual-exclusion");
    CHECK_FALSE(testcase.child("failure"));
    CHECK_THAT(testcase.child("system-out").text().get(),
               Catch::StartsWith("expected failure caught: fail: 1 overlap") &&
                   Catch::Contains("agent 2 beta, event 5"));
}

TEST_CASE("JUnit: a missed control fails", "[junit]") {
    ipch::RunResults results = ipch::test::sample_results();
    ipch::ScenarioResult& control = results.scenarios[2];
    control.outcome = ipch::ScenarioOutcome::control_missed;
    control.properties[0].result.verdict = ipch::Verdict::pass;
    control.properties[0].met = false;
    const pugi::xml_document document = parse(junit(results));
    const pugi::xml_node failure =
        testcase_named(suite_named(document, "no-mutex-control"), "mutual-exclusion")
            .child("failure");
    REQUIRE(failure);
    CHECK_THAT(failure.attribute("message").value(),
               Catch::StartsWith("expected this property to fail (a negative control)"));
}

TEST_CASE("JUnit: a scenario that could not load or run is one error", "[junit]") {
    ipch::RunResults results = ipch::test::sample_results();
    ipch::ScenarioResult harness_error = results.scenarios[3];
    harness_error.path = "scenarios/seed/spawn.yaml";
    harness_error.outcome = ipch::ScenarioOutcome::harness_error;
    harness_error.messages = {"cannot spawn ipc-agent: No such file or directory"};
    results.scenarios.push_back(harness_error);
    const pugi::xml_document document = parse(junit(results));

    const pugi::xml_node load =
        testcase_named(suite_named(document, "scenarios/bad/unknown-key.yaml"), "load");
    CHECK(std::string(load.attribute("classname").value()) ==
          "ipc-harness.scenarios/bad/unknown-key.yaml");
    const pugi::xml_node error = load.child("error");
    REQUIRE(error);
    CHECK(std::string(error.attribute("type").value()) == "bad-input");
    CHECK_THAT(error.attribute("message").value(), Catch::Contains("unknown key 'agnets'"));
    CHECK_THAT(error.text().get(), Catch::Contains("'count' must be at least 1"));

    const pugi::xml_node run =
        testcase_named(suite_named(document, "scenarios/seed/spawn.yaml"), "run");
    CHECK(std::string(run.child("error").attribute("type").value()) == "harness-error");
    CHECK(document.child("testsuites").attribute("errors").as_int() == 2);
}

TEST_CASE("JUnit: a failing scenario with no failing property still fails", "[junit]") {
    ipch::RunResults results;
    results.scenarios = {ipch::test::sample_results().scenarios.front()};
    results.scenarios[0].outcome = ipch::ScenarioOutcome::failed;
    results.scenarios[0].messages = {"the run was cut short"};
    const pugi::xml_document document = parse(junit(results));
    const pugi::xml_node failure =
        testcase_named(suite_named(document, "two-writers[agents=2,hold=1.5,label=4]"), "run")
            .child("failure");
    REQUIRE(failure);
    CHECK(std::string(failure.attribute("message").value()) == "the run was cut short");
    CHECK(document.child("testsuites").attribute("failures").as_int() == 1);
}

TEST_CASE("JUnit: each suite's timestamp is when its scenario began", "[junit]") {
    ipch::RunResults results = ipch::test::sample_results();
    results.scenarios.at(1).started_utc = "2024-05-01T12:01:05Z";
    const pugi::xml_document document = parse(junit(results));
    const auto suites = document.child("testsuites").children("testsuite");
    auto suite = suites.begin();
    CHECK(std::string(suite->attribute("timestamp").value()) == "2024-05-01T12:00:00");
    ++suite;
    CHECK(std::string(suite->attribute("timestamp").value()) == "2024-05-01T12:01:05");
}
